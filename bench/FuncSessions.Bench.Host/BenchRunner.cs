using System.Diagnostics;
using System.Globalization;
using FuncSessions.Passwords;
using FuncSessions.Storage;
using Microsoft.Extensions.Options;

namespace FuncSessions.Bench;

/// <summary>
/// Runs every case in several rounds (order rotated and reversed between rounds), then the sweep benchmark, and
/// writes the table. Azurite is started by bench/run.sh and passed in (connection string and pid).
/// </summary>
public static class BenchRunner
{
    private const int HttpConnections = 32;
    public const int LoginConnections = 8;
    private const int RefreshTokenPool = 64;
    private const int DistinctSessions = 10_000;

    public const string LoginWithoutHash = "login without the hash (/login-without-hash)";
    public const string LoginPbkdf2 = "login, PBKDF2 setting (before issue 19)";
    public const string ValidateBrowser = "validate, browser-shaped (3 cookies + Origin, cookie mode)";
    public const string ValidateDistinct = "validate, 10,000 sessions round-robin (browser-shaped)";
    public const string ConstantBrowser = "constant 200, browser-shaped request";
    public const string ConstantAnswer = "constant 200 replaying validate's answer (browser-shaped request)";

    private sealed record BenchCase(string Name, string Store, int Connections, Func<int, Task<Measurement>> RunAsync);

    public static async Task<int> RunAsync(BenchArguments args)
    {
        var settings = new RunSettings(args);
        var started = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage();
        Log($"load average before: {loadBefore}");

        List<CaseSummary> summaries;
        List<HashSample> hashSamples = [];
        List<RefreshParts> refreshParts = [];
        {
            Log("starting servers (constant-200 reference, self-host on Azurite, self-hosts on in-process stores)");
            await using var constant = await ServerProcess.StartAsync("constant", settings.ServerEnvironment("Constant"));
            await using var table = await ServerProcess.StartAsync("serve", settings.ServerEnvironment("Table"), "--store", "table");
            await using var memory = await ServerProcess.StartAsync("serve", settings.ServerEnvironment("Memory"), "--store", "memory");
            await using var cookies = await ServerProcess.StartAsync("serve", settings.CookieServerEnvironment("Cookie"), "--store", "memory");
            // Note: the many-sessions case issues 10,000 sessions a run, which an in-process store keeps (a real instance
            // keeps them in Table Storage); on a server of its own, that heap never weighs on the single-session cases.
            await using var distinct = await ServerProcess.StartAsync("serve", settings.CookieServerEnvironment("Distinct"), "--store", "memory");
            await using var pbkdf2 = await ServerProcess.StartAsync("serve", settings.Pbkdf2ServerEnvironment("Pbkdf2"), "--store", "memory");
            // Note: one real browser-shaped validate, its headers and body handed to the constant server to replay.
            await constant.ReplayAsync(await ReplayedAnswer.CaptureAsync(cookies.BaseAddress,
                BrowserShapedRequest("/api/auth/validate", (await cookies.IssueSessionsAsync(1))[0])));
            var cases = Cases(settings, constant, table, memory, cookies, distinct, pbkdf2);

            Log($"warm-up: every case for {settings.WarmupSeconds} s");
            foreach (var c in cases)
            {
                await c.RunAsync(settings.WarmupSeconds);
            }

            var rounds = cases.ToDictionary(c => c, _ => new List<Measurement>());
            for (var round = 0; round < settings.Rounds; round++)
            {
                var rotated = cases.Skip(round * 3 % cases.Count).Concat(cases.Take(round * 3 % cases.Count));
                foreach (var c in round % 2 == 0 ? rotated : rotated.Reverse())
                {
                    var m = await c.RunAsync(settings.Seconds);
                    Log($"round {round + 1}/{settings.Rounds} {c.Name} [{c.Store}]: {m.RequestsPerSecond:F0} req/s, " +
                        $"{m.ServerCpuUsPerRequest:F0} µs CPU/req, {m.StorageCallsPerRequest:F3} calls/req, {m.Errors} errors, load {LoadAverage()}");
                    rounds[c].Add(m);
                }

                hashSamples.AddRange(HashSample.MeasureAll());
                refreshParts.Add(await memory.MeasureRefreshPartsAsync(2000));
            }

            summaries = cases.Select(c => new CaseSummary(c.Name, c.Store, c.Connections, rounds[c])).ToList();
        }

        var loadAfterHttp = LoadAverage();
        Log("product's measure-hash command");
        var measureHash = (await RunProcessAsync("dotnet", [settings.SelfHostDll, "measure-hash"], settings.BenchDirectory,
            new Dictionary<string, string> { ["LocalSettingsFile"] = "none" })).Trim();
        var sweepRows = await SweepBench.RunAsync(settings.Connection, settings.SweepLive, settings.SweepExpired, Log);
        var coldStarts = await ColdStartBench.RunAsync(settings, ColdStartVariants(settings), settings.ColdStartRuns, Log);
        var loadAfter = LoadAverage();

        var report = BenchReport.Build(new BenchReport.Inputs(
            settings, started, DateTimeOffset.UtcNow, [loadBefore, loadAfterHttp, loadAfter], summaries, hashSamples, refreshParts, measureHash, sweepRows,
            coldStarts));
        Console.WriteLine();
        Console.WriteLine(report);
        await File.WriteAllTextAsync(settings.Output, report);
        Log($"wrote {settings.Output}");
        return 0;
    }

    public static IReadOnlyList<ColdStartVariant> ColdStartVariants(RunSettings settings) =>
    [
        new("`dotnet build` output (JIT at start-up)", settings.SelfHostDll),
        new("`dotnet publish -p:PublishReadyToRun=true` (precompiled)", settings.SelfHostReadyToRunDll),
    ];

    private static List<BenchCase> Cases(
        RunSettings settings, ServerProcess constant, ServerProcess table, ServerProcess memory, ServerProcess cookies, ServerProcess distinct,
        ServerProcess pbkdf2)
    {
        var cases = new List<BenchCase>
        {
            // Note: each target pairs a case with the reference run just before it in the same round (see BenchReport).
            new("constant 200 (reference)", "–", HttpConnections, s => WrkAsync(settings, constant, HttpConnections, s, "/", "report.lua", [], [], false)),
            new(ValidateBrowser, "in-process", HttpConnections, async s =>
                await BrowserShapedAsync(settings, cookies, "/api/auth/validate", await cookies.IssueSessionsAsync(1), s) with { DistinctTokens = 1 }),
            // Note: validate's browser-shaped request sent to the constant server, which ignores it: what reading those
            // headers costs the server and wrk, apart from anything validate does.
            new(ConstantBrowser, "–", HttpConnections, async s =>
                await BrowserShapedAsync(settings, constant, "/", await cookies.IssueSessionsAsync(1), s)),
            // Note: the same request again, answered with validate's exact headers and body but none of its work.
            new(ConstantAnswer, "–", HttpConnections, async s =>
                await BrowserShapedAsync(settings, constant, "/answer", await cookies.IssueSessionsAsync(1), s)),
            // Note: fresh sessions for every run, so each token's first request pays the signature check, as it does on a site.
            new(ValidateDistinct, "in-process", HttpConnections, async s =>
                await BrowserShapedAsync(settings, distinct, "/api/auth/validate", await distinct.IssueSessionsAsync(DistinctSessions), s)
                    with { DistinctTokens = DistinctSessions }),
        };
        var pointRead = new BenchCase("Azurite point read (reference)", "Azurite", HttpConnections, async s =>
        {
            var session = (await table.IssueSessionsAsync(1))[0];
            var output = await RunProcessAsync("dotnet", [typeof(BenchRunner).Assembly.Location, "point-reads",
                "--connection", settings.Connection, "--table", settings.TablePrefix("Table") + "Sessions",
                "--pk", session[2], "--rk", SessionRow.Key(session[3]),
                "--concurrency", HttpConnections.ToString(CultureInfo.InvariantCulture), "--seconds", s.ToString(CultureInfo.InvariantCulture),
                "--azurite-pid", settings.AzuritePid.ToString(CultureInfo.InvariantCulture)], settings.BenchDirectory);
            var r = ParseResult(output, "POINT_RESULT");
            var requests = (long)r["requests"];
            return new Measurement(requests, r["duration_us"] / 1e6, r["p50_us"] / 1000, r["p99_us"] / 1000, 0, requests,
                r["client_cpu_us"], r["azurite_cpu_us"], requests);
        });
        foreach (var (server, store) in new[] { (memory, "in-process"), (table, "Azurite") })
        {
            var countsStorage = store == "Azurite";
            cases.Add(new("validate", store, HttpConnections, async s =>
            {
                var token = (await server.IssueSessionsAsync(1))[0][0];
                return await WrkAsync(settings, server, HttpConnections, s, "/api/auth/validate", "report.lua",
                    ["-H", "Authorization: Bearer " + token], [], countsStorage);
            }));
            cases.Add(new("refresh", store, HttpConnections, async s =>
            {
                var tokens = Path.GetTempFileName();
                await File.WriteAllLinesAsync(tokens, (await server.IssueSessionsAsync(RefreshTokenPool)).Select(l => l[1]));
                try
                {
                    return await WrkAsync(settings, server, HttpConnections, s, "/api/auth/refresh", "refresh.lua", [], [tokens], countsStorage);
                }
                finally
                {
                    File.Delete(tokens);
                }
            }));
            if (countsStorage)
            {
                cases.Add(pointRead);
            }

            cases.Add(new("login", store, LoginConnections, s =>
                WrkAsync(settings, server, LoginConnections, s, "/api/auth/login", "login.lua", [], [], countsStorage)));
            cases.Add(new(LoginWithoutHash, store, HttpConnections, s =>
                WrkAsync(settings, server, HttpConnections, s, "/login-without-hash", "login.lua", [], [], countsStorage)));
        }

        cases.Add(new(LoginPbkdf2, "in-process", LoginConnections, s =>
            WrkAsync(settings, pbkdf2, LoginConnections, s, "/api/auth/login", "login.lua", [], [], false)));
        cases.Add(new("password check only (/password-check)", "Azurite", LoginConnections, s =>
            WrkAsync(settings, table, LoginConnections, s, "/password-check", "hash.lua", [], [], true)));
        return cases;
    }

    /// <summary>What bench/wrk/validate-browser.lua sends, as one request.</summary>
    private static HttpRequestMessage BrowserShapedRequest(string path, string[] session) => new(HttpMethod.Get, path)
    {
        Headers =
        {
            { "Cookie", $"__Host-fs-at={session[0]}; __Host-fs-rt={session[1]}; __Host-fs-present=1" },
            { "Origin", RunSettings.BrowserOrigin },
            { "Accept", "application/json" },
            { "Sec-Fetch-Site", "same-site" },
            { "Sec-Fetch-Mode", "cors" },
        },
    };

    private static async Task<Measurement> BrowserShapedAsync(
        RunSettings settings, ServerProcess server, string path, IReadOnlyList<string[]> sessions, int seconds)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, sessions.Select(l => l[0] + " " + l[1]));
        try
        {
            return await WrkAsync(settings, server, HttpConnections, seconds, path, "validate-browser.lua", [], [file, RunSettings.BrowserOrigin], false);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<Measurement> WrkAsync(RunSettings settings, ServerProcess server, int connections, int seconds, string path,
        string script, string[] wrkArgs, string[] scriptArgs, bool countsStorage)
    {
        var servedBefore = await server.WaitIdleAsync();
        var callsBefore = countsStorage ? await server.ReadCounterAsync("/bench/storage-calls") : (long?)null;
        var cpuBefore = ProcessCpu.Microseconds(server.Pid);
        var azuriteBefore = ProcessCpu.Microseconds(settings.AzuritePid);
        string[] command =
        [
            "-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "30s", "-s", script, .. wrkArgs,
            new Uri(server.BaseAddress, path).ToString(), "--", .. scriptArgs,
        ];
        var output = await RunProcessAsync("wrk", command, settings.WrkDirectory);
        var served = await server.WaitIdleAsync() - servedBefore;
        var cpu = ProcessCpu.Microseconds(server.Pid) - cpuBefore;
        var azuriteCpu = ProcessCpu.Microseconds(settings.AzuritePid) - azuriteBefore;
        var calls = countsStorage ? await server.ReadCounterAsync("/bench/storage-calls") - callsBefore : null;

        var r = ParseResult(output, "WRK_RESULT");
        return new Measurement((long)r["requests"], r["duration_us"] / 1e6, r["p50_us"] / 1000, r["p99_us"] / 1000,
            (long)(r["non2xx"] + r["socket_errors"]), served, cpu, azuriteCpu, calls);
    }

    private static Dictionary<string, double> ParseResult(string output, string marker) =>
        (output.Split('\n').FirstOrDefault(l => l.StartsWith(marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No {marker} line in:\n{output}"))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
        .Select(pair => pair.Split('='))
        .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));

    public static async Task<string> RunProcessAsync(string file, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}

/// <summary>One password verification per algorithm at the default cost on one core: process CPU time and wall time, median of 5.</summary>
public sealed record HashSample(PasswordHashAlgorithm Algorithm, double CpuMs, double WallMs)
{
    public static IEnumerable<HashSample> MeasureAll() => Enum.GetValues<PasswordHashAlgorithm>().Select(Measure).ToList();

    private static HashSample Measure(PasswordHashAlgorithm algorithm)
    {
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions { Algorithm = algorithm }));
        var stored = hasher.Hash("warm-up password for timing");
        var samples = Enumerable.Range(0, 5).Select(_ =>
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.GetTimestamp();
            hasher.Verify("warm-up password for timing", stored);
            return (Cpu: (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds, Wall: Stopwatch.GetElapsedTime(wall).TotalMilliseconds);
        }).ToList();
        return new HashSample(algorithm, CaseSummary.MedianOf(samples.Select(s => s.Cpu)), CaseSummary.MedianOf(samples.Select(s => s.Wall)));
    }
}
