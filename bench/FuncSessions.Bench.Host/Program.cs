using System.Globalization;
using FuncSessions.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// One binary, several roles, so the benchmark needs a single build:
//   run          the orchestrator bench/run.sh calls: starts the servers below, drives wrk, writes the table
//   serve        the self-host (SelfHost.CreateBuilder/Build) with bench-only endpoints, table or in-process stores
//   constant     bare Kestrel answering a constant 200: the reference
//   point-reads  a bare Azure.Data.Tables GetEntity loop against Azurite: the storage reference
//   sweep        the sweep benchmark alone (SweepBench), rows on stdout: bench/run.sh with BENCH_SWEEP_ONLY=1
//   cold-start   the cold-start benchmark alone (ColdStartBench), its table on stdout: BENCH_COLD_START_ONLY=1
return args switch
{
    ["run", .. var rest] => await BenchRunner.RunAsync(BenchArguments.Parse(rest)),
    ["serve", .. var rest] => await BenchServer.RunAsync(rest),
    ["constant", .. var rest] => await ConstantServer.RunAsync(rest),
    ["point-reads", .. var rest] => await PointReadLoop.RunAsync(BenchArguments.Parse(rest)),
    ["sweep", .. var rest] => await SweepOnlyAsync(BenchArguments.Parse(rest)),
    ["cold-start", .. var rest] => await ColdStartOnlyAsync(BenchArguments.Parse(rest)),
    _ => Usage(),
};

static async Task<int> SweepOnlyAsync(BenchArguments arguments)
{
    var rows = await SweepBench.RunAsync(arguments.Get("connection"), arguments.GetInts("sweep-live", "1000,100000"),
        arguments.GetInts("sweep-expired", "1000,10000"), Console.Error.WriteLine);
    Console.WriteLine("| live | expired | deleted | wall | storage calls | calls per expired session |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
    foreach (var row in rows)
    {
        Console.WriteLine($"| {row.Live:N0} | {row.Expired:N0} | {row.Result.Deleted:N0} | {row.Wall.TotalSeconds:F1} s | {row.StorageCalls:N0} | {row.CallsPerExpired:F3} |");
    }

    return 0;
}

static async Task<int> ColdStartOnlyAsync(BenchArguments arguments)
{
    var settings = new RunSettings(arguments);
    var rows = await ColdStartBench.RunAsync(settings, BenchRunner.ColdStartVariants(settings), settings.ColdStartRuns, Console.Error.WriteLine);
    var table = new System.Text.StringBuilder();
    BenchReport.ColdStart(table, rows);
    Console.WriteLine(table);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: FuncSessions.Bench.Host run|serve|constant|point-reads|sweep|cold-start [--name value ...]; see bench/run.sh");
    return 2;
}
