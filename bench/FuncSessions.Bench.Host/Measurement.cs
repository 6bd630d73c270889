namespace FuncSessions.Bench;

/// <summary>
/// One timed run. Rates use the client's count over its duration; per-request costs divide by what the server
/// served in the window (the CPU window closes only once the server has finished requests still in flight).
/// </summary>
public sealed record Measurement(
    long ClientRequests, double Seconds, double P50Ms, double P99Ms, long Errors, long Served,
    double ServerCpuUs, double AzuriteCpuUs, long? StorageCalls)
{
    /// <summary>Access tokens the run cycled through, each new to the server: the first request with each misses the verified-token cache.</summary>
    public int? DistinctTokens { get; init; }

    public double RequestsPerSecond => ClientRequests / Seconds;

    /// <summary>Share of requests whose token had verified before (the cache holds far more than the tokens used).</summary>
    public double? CacheHitRate => DistinctTokens is { } tokens ? 1 - Math.Min(tokens, Served) / (double)Served : null;

    public double ServerCpuUsPerRequest => ServerCpuUs / Served;

    public double AzuriteCpuUsPerRequest => AzuriteCpuUs / Served;

    public double? StorageCallsPerRequest => StorageCalls / (double)Served;
}

/// <summary>A measured case: the medians of its rounds.</summary>
public sealed record CaseSummary(string Name, string Store, int Connections, IReadOnlyList<Measurement> Rounds)
{
    public double RequestsPerSecond => Median(m => m.RequestsPerSecond);

    public double P50Ms => Median(m => m.P50Ms);

    public double P99Ms => Median(m => m.P99Ms);

    public double ServerCpuUsPerRequest => Median(m => m.ServerCpuUsPerRequest);

    public double AzuriteCpuUsPerRequest => Median(m => m.AzuriteCpuUsPerRequest);

    public double? StorageCallsPerRequest => Rounds[0].StorageCalls is null ? null : Median(m => m.StorageCallsPerRequest!.Value);

    public double? CacheHitRate => Rounds[0].CacheHitRate is null ? null : Median(m => m.CacheHitRate!.Value);

    public long Errors => Rounds.Sum(m => m.Errors);

    public long Served => Rounds.Sum(m => m.Served);

    public double Median(Func<Measurement, double> metric) => MedianOf(Rounds.Select(metric));

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
