using System.Diagnostics;

namespace FuncSessions.Infra.Tests;

/// <summary>
/// infra/smoke-test.sh runs only against a deployment, so CI checks what it can without one: that bash accepts it
/// and that it refuses to run without a target.
/// </summary>
public sealed class SmokeTestScriptTests
{
    private static readonly string Script = Path.Combine(BicepCli.InfraDirectory, "smoke-test.sh");

    [Fact]
    public void Script_IsValidBash()
    {
        // Act
        var (exitCode, output) = Bash("-n", Script);

        // Assert
        Assert.True(exitCode == 0, output);
    }

    [Theory]
    [InlineData]
    [InlineData("--bearer")]
    [InlineData("--origin")]
    [InlineData("--unknown", "https://example.com/api")]
    public void Script_WithoutAUsableTarget_ExitsWithUsage(params string[] arguments)
    {
        // Act
        var (exitCode, output) = Bash([Script, .. arguments]);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Contains("usage:", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Bash(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
