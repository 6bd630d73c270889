using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;

namespace FuncSessions.Bench;

/// <summary>
/// The storage reference for validate: <c>--concurrency</c> loops each doing GetEntity on one row (the session row
/// validate reads) for <c>--seconds</c>, after a one-second warm-up. Prints one POINT_RESULT line.
/// </summary>
public static class PointReadLoop
{
    public static async Task<int> RunAsync(BenchArguments args)
    {
        var table = new TableClient(args.Get("connection"), args.Get("table"));
        var (partitionKey, rowKey) = (args.Get("pk"), args.Get("rk"));
        var concurrency = args.GetInt("concurrency", 32);
        var azuritePid = args.GetInt("azurite-pid", 0);

        await RunLoopsAsync(TimeSpan.FromSeconds(1));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var azuriteBefore = ProcessCpu.Microseconds(azuritePid);
        var started = Stopwatch.GetTimestamp();
        var latencies = await RunLoopsAsync(TimeSpan.FromSeconds(args.GetInt("seconds", 10)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var azuriteCpu = ProcessCpu.Microseconds(azuritePid) - azuriteBefore;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds;

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"POINT_RESULT requests={latencies.Count} duration_us={elapsed.TotalMicroseconds:F0} p50_us={Percentile(latencies, 0.50):F0} " +
            $"p99_us={Percentile(latencies, 0.99):F0} client_cpu_us={cpu:F0} azurite_cpu_us={azuriteCpu:F0}"));
        return 0;

        async Task<List<double>> RunLoopsAsync(TimeSpan duration)
        {
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var perLoop = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                var samples = new List<double>();
                while (Stopwatch.GetTimestamp() < until)
                {
                    var sent = Stopwatch.GetTimestamp();
                    await table.GetEntityAsync<TableEntity>(partitionKey, rowKey);
                    samples.Add(Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
                }

                return samples;
            }));
            return perLoop.SelectMany(s => s).ToList();
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
