using System.Diagnostics;
using System.Text.Json;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.Functions.Tests;

/// <summary>
/// What the Worker SDK and `func start` need from the app's project file, read by MSBuild's own evaluation.
/// </summary>
public sealed class ProjectFileTests
{
    [Fact]
    public async Task The_app_is_a_v4_isolated_executable_and_carries_the_root_host_json_into_build_and_publish_output()
    {
        using var evaluation = await EvaluateAsync("-getProperty:OutputType", "-getProperty:AzureFunctionsVersion", "-getItem:None", "-getItem:PackageReference");
        var properties = evaluation.RootElement.GetProperty("Properties");
        Assert.Equal("Exe", properties.GetProperty("OutputType").GetString());
        Assert.Equal("v4", properties.GetProperty("AzureFunctionsVersion").GetString());

        var items = evaluation.RootElement.GetProperty("Items");
        var hostJson = items.GetProperty("None").EnumerateArray().Single(i => i.GetProperty("Link").GetString() == "host.json");
        Assert.Equal(Path.Combine(RepositoryRoot.Path, "host.json"), hostJson.GetProperty("FullPath").GetString());
        Assert.Equal("PreserveNewest", hostJson.GetProperty("CopyToOutputDirectory").GetString());
        Assert.Equal("PreserveNewest", hostJson.GetProperty("CopyToPublishDirectory").GetString());

        var packages = items.GetProperty("PackageReference").EnumerateArray().Select(i => i.GetProperty("Identity").GetString()).ToList();
        Assert.Contains("Microsoft.Azure.Functions.Worker", packages);
        Assert.Contains("Microsoft.Azure.Functions.Worker.Sdk", packages);
        Assert.Contains("Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore", packages);
        Assert.Contains("Microsoft.Azure.Functions.Worker.Extensions.Timer", packages);
    }

    [Theory]
    [InlineData("src/FuncSessions.Functions/FuncSessions.Functions.csproj")]
    [InlineData("src/FuncSessions.Validation.Functions/FuncSessions.Validation.Functions.csproj")]
    [InlineData("samples/ProtectedFunction/ProtectedFunction.csproj")]
    public async Task The_Worker_projects_treat_warnings_as_errors_like_every_other_project(string project)
    {
        using var evaluation = await EvaluateProjectAsync(project, "-getProperty:TreatWarningsAsErrors", "-getProperty:WarningsNotAsErrors");
        var properties = evaluation.RootElement.GetProperty("Properties");
        Assert.Equal("true", properties.GetProperty("TreatWarningsAsErrors").GetString());
        // Note: NU1603 (the package mirror resolving a close dependency version) is the one exception, repository-wide.
        Assert.Equal(["NU1603"], properties.GetProperty("WarningsNotAsErrors").GetString()!.Split(';', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Task<JsonDocument> EvaluateAsync(params string[] queries) =>
        EvaluateProjectAsync("src/FuncSessions.Functions/FuncSessions.Functions.csproj", queries);

    private static async Task<JsonDocument> EvaluateProjectAsync(string project, params string[] queries)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("msbuild");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, project));
        foreach (var query in queries)
        {
            start.ArgumentList.Add(query);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return JsonDocument.Parse(await output);
    }
}
