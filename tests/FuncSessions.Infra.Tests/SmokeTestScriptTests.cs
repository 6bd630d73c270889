using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FuncSessions.Infra.Tests;

/// <summary>
/// infra/smoke-test.sh against a deployment is for the deploy guide; CI runs it in full against the self-host
/// (scripts/smoke-self-host.sh, a step of scripts/test.sh). Here: bash accepts it, it refuses to run without a target, and
/// an app that keeps answering 5xx (a fresh deployment whose Key Vault references are not resolved yet) gets the
/// advice to restart it.
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

    [Fact]
    public async Task Script_AgainstAnAppAnswering503_RetriesUntilTheWaitEnds_ThenSaysToRestartTheApp()
    {
        // Arrange: what a fresh deployment answers while its Key Vault references wait for the role assignment.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var requests = 0;
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                await using var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = await stream.ReadAsync(buffer, stop.Token);
                Interlocked.Increment(ref requests);
                await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), stop.Token);
            }
        });

        // Act
        var (exitCode, output) = Bash(new Dictionary<string, string> { ["SMOKE_WAIT_SECONDS"] = "2", ["SMOKE_RETRY_SECONDS"] = "1" },
            Script, $"http://127.0.0.1:{port}/api");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Equal(3, requests);
        Assert.Contains("jwks answered 503", output, StringComparison.Ordinal);
        Assert.Contains("az functionapp restart", output, StringComparison.Ordinal);
        Assert.Contains("FAIL jwks: expected HTTP 200, got 503", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Bash(params string[] arguments) => Bash(new Dictionary<string, string>(), arguments);

    private static (int ExitCode, string Output) Bash(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

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
