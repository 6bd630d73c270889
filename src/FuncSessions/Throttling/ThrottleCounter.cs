namespace FuncSessions.Throttling;

/// <summary>
/// One row of the throttle table: how many strikes a key (a hashed account name or client address) has, since when,
/// and until when it is refused.
/// </summary>
public sealed record ThrottleCounter
{
    public required string Key { get; init; }

    public int Count { get; init; }

    /// <summary>Accounts: the time of the last failure. Client addresses: the start of the current window.</summary>
    public DateTimeOffset Since { get; init; }

    public DateTimeOffset? BlockedUntil { get; init; }

    /// <summary>Storage version (ETag) read with the row; empty for a row not yet stored.</summary>
    public string Version { get; init; } = "";

    public TimeSpan? RetryAfter(DateTimeOffset now) => BlockedUntil is { } until && until > now ? until - now : null;
}
