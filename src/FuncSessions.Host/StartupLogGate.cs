namespace FuncSessions.Host;

/// <summary>
/// Holds back the generic host's own error log entries until the host has started. The host logs a start-up failure
/// with its full stack trace before rethrowing it; <see cref="SelfHost.RunAsync"/> prints that failure as one line
/// naming the setting or port (<see cref="StartupFailure"/>), so the trace would only bury it. After start-up every
/// entry passes again (a failing background service is still logged in full).
/// </summary>
public sealed class StartupLogGate
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    /// <param name="minimum">The level the host's own entries need (this rule replaces the configured one for its category).</param>
    public void AddTo(ILoggingBuilder logging, LogLevel minimum) =>
        logging.AddFilter(HostCategory, level => level >= minimum && (_started || level < LogLevel.Error));

    public void Open() => _started = true;
}
