using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// A real Azurite table service (npm package) on a free loopback port, in memory or, given a folder, on disk. Stop and
/// start it again on the same port to simulate a storage outage; only on-disk data survives a stop.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    private readonly string? _location;

    private AzuriteProcess(int port, string? location)
    {
        Port = port;
        _location = location;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <param name="location">A folder to keep the data in across restarts; null keeps it in memory.</param>
    public static async Task<AzuriteProcess> StartAsync(string? location = null)
    {
        var azurite = new AzuriteProcess(FreePort(), location);
        await azurite.RestartAsync();
        return azurite;
    }

    public async Task RestartAsync()
    {
        var executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}; run ./scripts/test.sh (it runs npm ci).");
        }

        _process = Process.Start(new ProcessStartInfo(executable,
            ["--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. _location is null ? ["--inMemoryPersistence"] : new[] { "--location", _location },
                "--disableTelemetry", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        // Note: kept, so that an Azurite that does not start explains why in the test output.
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Azurite did not start on port {Port}" +
            (_process.HasExited ? $" (exit code {_process.ExitCode})" : "") + ":\n" + string.Join("\n", output));
    }

    /// <summary>
    /// Stops Azurite at once (SIGKILL), or with <paramref name="graceful"/> the way Ctrl+C does (SIGINT), which lets
    /// Azurite's on-disk store (LokiJS, otherwise saved every 5 s) write what it acknowledged before exiting.
    /// </summary>
    public async Task StopAsync(bool graceful = false)
    {
        if (_process is { HasExited: false } && graceful)
        {
            // Note: the shell's built-in kill, so no procps package is needed on a bare CI machine.
            using var signal = Process.Start("/bin/sh", ["-c", "kill -INT " + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Note: not closed in time; killed below.
            }
        }

        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
