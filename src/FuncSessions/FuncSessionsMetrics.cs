using System.Diagnostics.Metrics;

namespace FuncSessions;

/// <summary>
/// The <c>FuncSessions</c> meter: what operators watch. Tags are outcomes only, never a user, a session or an address,
/// so no metric can carry an id (and cardinality stays fixed). Both hosts export it through OpenTelemetry.
/// </summary>
public sealed class FuncSessionsMetrics
{
    public const string MeterName = "FuncSessions";

    private readonly Counter<long> _logins;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _reuseDetections;
    private readonly Counter<long> _sweepDeletions;
    private readonly Histogram<double> _validateDuration;

    public FuncSessionsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _logins = meter.CreateCounter<long>("funcsessions.logins", "{login}", "Login attempts that reached the password check, by outcome (succeeded, failed).");
        _lockouts = meter.CreateCounter<long>("funcsessions.lockouts", "{login}", "Logins refused because the account is locked or delayed after failures (429 too_many_attempts).");
        _refreshes = meter.CreateCounter<long>("funcsessions.refreshes", "{refresh}", "Refreshes that presented a token, by outcome (rotated, invalid, expired, reuse_detected).");
        _reuseDetections = meter.CreateCounter<long>("funcsessions.refresh.reuse_detections", "{session}", "Sessions ended because a spent refresh token came back.");
        _sweepDeletions = meter.CreateCounter<long>("funcsessions.sweep.deletions", "{session}", "Expired sessions the sweep deleted.");
        _validateDuration = meter.CreateHistogram<double>("funcsessions.validate.duration", "s", "Time to answer validate, by outcome (valid, invalid).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    public void Login(bool succeeded) => _logins.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    public void Lockout() => _lockouts.Add(1);

    public void Refresh(string outcome)
    {
        _refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "reuse_detected")
        {
            _reuseDetections.Add(1);
        }
    }

    public void SweepDeleted(int sessions) => _sweepDeletions.Add(sessions);

    public void Validated(TimeSpan elapsed, bool valid) =>
        _validateDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", valid ? "valid" : "invalid"));
}
