using System.Text.Json;
using System.Text.RegularExpressions;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.Functions.Tests;

/// <summary>
/// The test command builds FuncSessions.Tests.slnf, so it must hold every project of FuncSessions.sln, the Functions
/// app, its worker middleware and the Functions sample included: a project added to the solution but not to the
/// filter would silently go unbuilt and untested.
/// </summary>
public sealed partial class SolutionFilterTests
{
    private static readonly string[] WorkerProjects =
    [
        "src/FuncSessions.Functions/FuncSessions.Functions.csproj",
        "src/FuncSessions.Validation.Functions/FuncSessions.Validation.Functions.csproj",
        "samples/ProtectedFunction/ProtectedFunction.csproj",
    ];

    [Fact]
    public void The_test_solution_filter_lists_every_solution_project_the_Worker_projects_included()
    {
        var solution = ProjectLine().Matches(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "FuncSessions.sln")))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .Where(p => p.EndsWith(".csproj", StringComparison.Ordinal))
            .ToList();
        using var filter = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "FuncSessions.Tests.slnf")));
        var filtered = filter.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray()
            .Select(p => p.GetString()!.Replace('\\', '/'))
            .ToList();

        Assert.All(WorkerProjects, p => Assert.Contains(p, filtered));
        Assert.Equal(solution.Order(), filtered.Order());
    }

    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]+", "(?<path>[^"]+)", """, RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
