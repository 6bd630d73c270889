using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// A real Azurite table service (npm package) on a free loopback port, in memory or, given a folder, on disk, and beside
/// it Azurite's queue service (in memory) for the mail queue. Stop and start the table service again on the same port to
/// simulate a storage outage; only on-disk data survives a stop. The queue service runs until disposal.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    private readonly string? _location;

    private Process? _queue;

    private AzuriteProcess(int port, string? location)
    {
        Port = port;
        _location = location;
    }

    public int Port { get; }

    public int QueuePort { get; } = FreePort();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;";

    /// <param name="location">A folder to keep the data in across restarts; null keeps it in memory.</param>
    public static async Task<AzuriteProcess> StartAsync(string? location = null)
    {
        var azurite = new AzuriteProcess(FreePort(), location);
        await azurite.RestartAsync();
        azurite._queue = Start("azurite-queue", ["--queueHost", "127.0.0.1", "--queuePort", azurite.QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--disableTelemetry", "--silent"], out var queueOutput);
        await WaitForPortAsync(azurite._queue, queueOutput, azurite.QueuePort);
        return azurite;
    }

    public async Task RestartAsync()
    {
        _process = Start("azurite-table",
            ["--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. _location is null ? ["--inMemoryPersistence"] : new[] { "--location", _location },
                "--disableTelemetry", "--silent"], out var output);
        await WaitForPortAsync(_process, output, Port);
    }

    private static Process Start(string tool, string[] arguments, out System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        var executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", tool);
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}; run ./scripts/test.sh (it runs npm ci).");
        }

        var process = Process.Start(new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        // Note: kept, so that an Azurite that does not start explains why in the test output.
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = lines;
        return process;
    }

    private static async Task WaitForPortAsync(Process process, System.Collections.Concurrent.ConcurrentQueue<string> output, int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Azurite did not start on port {port}" +
            (process.HasExited ? $" (exit code {process.ExitCode})" : "") + ":\n" + string.Join("\n", output));
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_queue is { HasExited: false })
        {
            _queue.Kill(entireProcessTree: true);
            await _queue.WaitForExitAsync();
        }

        _queue?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
