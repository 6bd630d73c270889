using System.Globalization;

namespace FuncSessions.Bench;

/// <summary>What bench/run.sh passes to <c>run</c>, and the settings every bench server gets.</summary>
public sealed class RunSettings
{
    private readonly string _runId = Guid.NewGuid().ToString("N")[..6];
    private readonly string _scratch = Directory.CreateTempSubdirectory("funcsessions-bench-keys-").FullName;

    public RunSettings(BenchArguments args)
    {
        Connection = args.Get("connection");
        AzuritePid = int.Parse(args.Get("azurite-pid"), CultureInfo.InvariantCulture);
        Rounds = args.GetInt("rounds", 5);
        Seconds = args.GetInt("seconds", 10);
        WarmupSeconds = args.GetInt("warmup-seconds", 2);
        SweepLive = args.GetInts("sweep-live", "1000,100000");
        SweepExpired = args.GetInts("sweep-expired", "1000,10000");
        BenchDirectory = Path.GetFullPath(args.Get("bench-dir"));
        SelfHostDll = Path.GetFullPath(args.Get("self-host-dll"));
        SelfHostReadyToRunDll = Path.GetFullPath(args.Get("self-host-r2r-dll"));
        ColdStartRuns = args.GetInt("cold-start-runs", 7);
        Output = Path.GetFullPath(args.Get("output"));
        Command = args.Get("command");
        Environment = args.Get("environment", "");
    }

    public string Connection { get; }

    public int AzuritePid { get; }

    public int Rounds { get; }

    public int Seconds { get; }

    public int WarmupSeconds { get; }

    public IReadOnlyList<int> SweepLive { get; }

    public IReadOnlyList<int> SweepExpired { get; }

    public string BenchDirectory { get; }

    public string WrkDirectory => Path.Combine(BenchDirectory, "wrk");

    public string SelfHostDll { get; }

    /// <summary>The same self-host published with ReadyToRun (bench/run.sh publishes it), for the cold-start comparison.</summary>
    public string SelfHostReadyToRunDll { get; }

    public int ColdStartRuns { get; }

    public string Output { get; }

    /// <summary>The command line as typed, for the report.</summary>
    public string Command { get; }

    /// <summary>Tool versions and machine facts collected by run.sh, one per line.</summary>
    public string Environment { get; }

    public string TablePrefix(string server) => "Bench" + _runId + server;

    /// <summary>The page origin the browser-shaped validate cases send (allowlisted in the cookie-mode server).</summary>
    public const string BrowserOrigin = "https://app.bench.test";

    /// <summary>A server in cookie mode with <see cref="BrowserOrigin"/> allowlisted, as a same-site frontend uses it.</summary>
    public IReadOnlyDictionary<string, string> CookieServerEnvironment(string server) => new Dictionary<string, string>(ServerEnvironment(server))
    {
        ["FuncSessions__Http__TokenTransport"] = "Cookie",
        ["FuncSessions__Http__AllowedOrigins"] = BrowserOrigin,
    };

    /// <summary>A server hashing new passwords with PBKDF2, the setting before Argon2id: login's "before" figure.</summary>
    public IReadOnlyDictionary<string, string> Pbkdf2ServerEnvironment(string server) => new Dictionary<string, string>(ServerEnvironment(server))
    {
        ["FuncSessions__Passwords__Algorithm"] = "Pbkdf2",
    };

    public IReadOnlyDictionary<string, string> ServerEnvironment(string server) => new Dictionary<string, string>
    {
        ["AzureWebJobsStorage"] = Connection,
        ["FuncSessions__Storage__TablePrefix"] = TablePrefix(server),
        // Note: bearer mode so wrk can send the access token in a header and read the refresh token from the body.
        ["FuncSessions__Http__TokenTransport"] = "Bearer",
        ["FuncSessions__Tokens__DevelopmentKeyFile"] = Path.Combine(_scratch, server + "-key.json"),
        // Note: a schedule that never fires during the run; the sweep is measured on its own.
        ["FuncSessionsSweepSchedule"] = "0 0 0 1 1 *",
        // Note: as in production, no console line per request (the ASP.NET Core default logs each one at Information).
        ["Logging__LogLevel__Default"] = "Warning",
        ["LocalSettingsFile"] = "none",
        // Note: every login counts against the client address now (issue 13's throttling); wrk is one address and the
        // bench measures cost, not the throttle, so the limit is out of reach.
        ["FuncSessions__Throttling__ClientLimit"] = "1000000",
    };
}
