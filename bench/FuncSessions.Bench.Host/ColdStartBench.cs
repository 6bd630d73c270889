using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace FuncSessions.Bench;

/// <summary>One way of running the self-host: a label and the assembly <c>dotnet</c> starts.</summary>
public sealed record ColdStartVariant(string Label, string Dll);

/// <summary>Milliseconds from process start to the first 200 from validate, over the runs of one variant.</summary>
public sealed record ColdStartRow(string Label, IReadOnlyList<double> Milliseconds)
{
    public double Median => Milliseconds.Order().ElementAt(Milliseconds.Count / 2);
}

/// <summary>
/// Cold start of the self-host (issue 18): the product's own FuncSessions.Host.dll started fresh, timed from
/// <c>Process.Start</c> to the first 200 from <c>GET /api/auth/validate</c> with a bearer token for a session already in
/// storage (issued beforehand by a bench server with the same tables and signing key), polled every 5 ms. Variants run
/// interleaved, so machine load falls on each alike.
/// </summary>
public static class ColdStartBench
{
    public static async Task<IReadOnlyList<ColdStartRow>> RunAsync(
        RunSettings settings, IReadOnlyList<ColdStartVariant> variants, int runs, Action<string> log)
    {
        var environment = settings.ServerEnvironment("ColdStart");
        string token;
        await using (var issuer = await ServerProcess.StartAsync("serve", environment, "--store", "table"))
        {
            token = (await issuer.IssueSessionsAsync(1))[0][0];
        }

        var times = variants.ToDictionary(v => v.Label, _ => new List<double>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var variant in variants)
            {
                var ms = await TimeOneStartAsync(variant.Dll, environment, token);
                times[variant.Label].Add(ms);
                log($"cold start {run + 1}/{runs}, {variant.Label}: {ms:F0} ms");
            }
        }

        return [.. variants.Select(v => new ColdStartRow(v.Label, times[v.Label]))];
    }

    private static async Task<double> TimeOneStartAsync(string dll, IReadOnlyDictionary<string, string> environment, string token)
    {
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("funcsessions-cold-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { dll, "--urls", url })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The self-host exited with code {process.ExitCode} before answering.");
                }

                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url + "/api/auth/validate");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return clock.Elapsed.TotalMilliseconds;
                    }

                    throw new InvalidOperationException($"validate answered {(int)response.StatusCode} at start-up.");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(5);
                }
            }

            throw new TimeoutException("The self-host did not answer validate within 60 s.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
