using System.Globalization;
using FuncSessions.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// One binary, several roles, so the benchmark needs a single build:
//   run          the orchestrator bench/run.sh calls: starts the servers below, drives wrk, writes the table
//   serve        the self-host (SelfHost.CreateBuilder/Build) with bench-only endpoints, table or in-process stores
//   constant     bare Kestrel answering a constant 200: the reference
//   point-reads  a bare Azure.Data.Tables GetEntity loop against Azurite: the storage reference
return args switch
{
    ["run", .. var rest] => await BenchRunner.RunAsync(BenchArguments.Parse(rest)),
    ["serve", .. var rest] => await BenchServer.RunAsync(rest),
    ["constant", .. var rest] => await ConstantServer.RunAsync(rest),
    ["point-reads", .. var rest] => await PointReadLoop.RunAsync(BenchArguments.Parse(rest)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FuncSessions.Bench.Host run|serve|constant|point-reads [--name value ...]; see bench/run.sh");
    return 2;
}
