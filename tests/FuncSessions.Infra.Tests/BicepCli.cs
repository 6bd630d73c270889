using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace FuncSessions.Infra.Tests;

/// <summary>The Bicep CLI restored from NuGet, and the files the build compiled with it.</summary>
internal static class BicepCli
{
    public static readonly string InfraDirectory = Metadata("InfraDir");

    private static readonly string Executable = Metadata("BicepExe");

    private static readonly string CompiledDirectory = Path.Combine(AppContext.BaseDirectory, "infra");

    /// <summary>infra/main.bicep as compiled by the build (an ARM template).</summary>
    public static JsonObject CompiledTemplate() => ReadJson(Path.Combine(CompiledDirectory, "main.json"));

    /// <summary>infra/main.bicepparam as compiled by the build (an ARM parameters file).</summary>
    public static JsonObject CompiledParameters() => ReadJson(Path.Combine(CompiledDirectory, "main.parameters.json"));

    /// <summary>
    /// What ARM would deploy for these parameters: `bicep snapshot` runs the deployment engine's own template
    /// evaluation offline, so names, conditions, loops and resource ids are final. Only values known after a real
    /// deployment (reference(...) to a created resource, secure parameters) stay expressions.
    /// </summary>
    public static JsonObject Snapshot(string scenario, string bicepparamBody)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "snapshots", scenario);
        Directory.CreateDirectory(directory);
        // Note: Bicep accepts only relative paths in `using`.
        var template = Path.GetRelativePath(directory, Path.Combine(InfraDirectory, "main.bicep")).Replace('\\', '/');
        var parameters = Path.Combine(directory, "main.bicepparam");
        File.WriteAllText(parameters, $"using '{template}'\n\n{bicepparamBody}");

        Run("snapshot", parameters, "--mode", "overwrite",
            "--tenant-id", FakeAzure.TenantId, "--subscription-id", FakeAzure.SubscriptionId,
            "--resource-group", FakeAzure.ResourceGroup, "--location", FakeAzure.Location);
        return ReadJson(Path.Combine(directory, "main.snapshot.json"));
    }

    private static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var output = (stdout.Result + stderr).Trim();
        if (process.ExitCode != 0 || output.Length > 0)
        {
            throw new InvalidOperationException($"bicep {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        }
    }

    private static JsonObject ReadJson(string path) =>
        JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidOperationException($"{path} is empty.");

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata.");
}
