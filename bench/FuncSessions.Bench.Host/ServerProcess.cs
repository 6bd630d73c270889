using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FuncSessions.Bench;

/// <summary>A bench server (this binary in <c>serve</c> or <c>constant</c> mode) on a free loopback port.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        BaseAddress = baseAddress;
    }

    public int Pid => _process.Id;

    public Uri BaseAddress { get; }

    public static async Task<ServerProcess> StartAsync(string mode, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            // Note: a scratch working directory, so no local.settings.json or sample page of the checkout is picked up.
            WorkingDirectory = Directory.CreateTempSubdirectory("funcsessions-bench-").FullName,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var arg in new[] { typeof(ServerProcess).Assembly.Location, mode, "--urls", url }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(Process.Start(start)!, new Uri(url));
        await server.WaitReadyAsync(mode == "serve" ? "/bench/ready" : "/bench/served");
        return server;
    }

    public async Task<long> ReadCounterAsync(string path) =>
        long.Parse(await _http.GetStringAsync(path), CultureInfo.InvariantCulture);

    /// <summary>Waits until the server has finished what it was still doing after the client stopped; returns the served count.</summary>
    public async Task<long> WaitIdleAsync()
    {
        while (await ReadCounterAsync("/bench/in-flight") > 0)
        {
            await Task.Delay(50);
        }

        return await ReadCounterAsync("/bench/served");
    }

    /// <summary>Hands the constant server the answer its GET /answer replays (bench endpoint).</summary>
    public async Task ReplayAsync(ReplayedAnswer answer)
    {
        using var response = await _http.PutAsJsonAsync("/bench/answer", answer);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sessions issued directly (bench endpoint): one <c>(accessToken, refreshToken, userId, sessionId)</c> each.</summary>
    public async Task<IReadOnlyList<string[]>> IssueSessionsAsync(int count)
    {
        using var response = await _http.PostAsync($"/bench/sessions?count={count}", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
    }

    /// <summary>Refresh's CPU-bound parts timed in the server (bench endpoint): CPU µs per signature and per seal.</summary>
    public async Task<RefreshParts> MeasureRefreshPartsAsync(int count)
    {
        using var response = await _http.PostAsync($"/bench/refresh-parts?count={count}", null);
        response.EnsureSuccessStatusCode();
        var values = (await response.Content.ReadAsStringAsync()).Split(' ').Select(p => p.Split('='))
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
        return new RefreshParts(values["sign_us"], values["seal_us"]);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Bench server exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await _http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Bench server at {BaseAddress} not ready.");
    }

    /// <summary>A free loopback port (bound and released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>CPU µs of refresh's CPU-bound parts: one ES256 signature; the new refresh token, its seal and hashes.</summary>
public sealed record RefreshParts(double SignUs, double SealUs);
