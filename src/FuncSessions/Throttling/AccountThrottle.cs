using Microsoft.Extensions.Options;

namespace FuncSessions.Throttling;

/// <summary>
/// Per-account brute-force defence (NIST 800-63B-4 §3.2.2), keyed by the normalised login name whether or not such an
/// account exists, so a locked name answers the same either way. Failures count consecutively; from half the limit on
/// each one makes the next attempt wait 1, 2, 4, … seconds, and at the limit the name is locked for the cool-down. A
/// success clears the count, and refused attempts do not count, so nobody can extend a lockout by hammering it.
/// <para>
/// Every attempt is counted as a failure in storage <em>before</em> its password is checked (a conditional write), and
/// a success deletes the row. Parallel guesses therefore each take a slot one after another, and the attempt that
/// reaches a delay makes every later one wait: a burst gets at most half the limit checked, however wide it is.
/// </para>
/// </summary>
public sealed class AccountThrottle(IThrottleStore store, IOptions<ThrottleOptions> options, TimeProvider time)
{
    // Note: compare-and-swap rounds before refusing; each lost round means another attempt took a slot first.
    private const int MaxRounds = 5;

    /// <summary>
    /// Counts this attempt as a failure before the password is checked: an insert for a name with no row (one call),
    /// else a read and a conditional replace. Refused (<see cref="LoginAttempt.RetryAfter"/>) while the name must wait,
    /// and also, failing closed, when the slot cannot be taken within a few rounds.
    /// </summary>
    public Task<LoginAttempt> BeginAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        BeginKeyAsync(ThrottleKeys.Account(normalizedUsername), cancellationToken);

    /// <summary>The same, for a second-factor code of the account (TOTP or recovery code), on a counter of its own.</summary>
    public Task<LoginAttempt> BeginSecondFactorAsync(string userId, CancellationToken cancellationToken) =>
        BeginKeyAsync(ThrottleKeys.SecondFactor(userId), cancellationToken);

    private async Task<LoginAttempt> BeginKeyAsync(string key, CancellationToken cancellationToken)
    {
        // Note: most names have no row, so the insert is tried first and the read is paid only where one exists.
        var counter = new ThrottleCounter { Key = key };
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = time.GetUtcNow();
            if (counter.RetryAfter(now) is { } wait)
            {
                return new LoginAttempt(this, counter, wait);
            }

            if (await store.TryWriteAsync(Failed(counter, now), cancellationToken) is { } reserved)
            {
                return new LoginAttempt(this, reserved, null);
            }

            counter = await store.FindAsync(counter.Key, cancellationToken);
        }

        return new LoginAttempt(this, counter, TimeSpan.FromSeconds(1));
    }

    internal Task RecordSuccessAsync(LoginAttempt attempt, CancellationToken cancellationToken) =>
        store.DeleteAsync(attempt.Counter.Key, cancellationToken);

    // Note: the failure was counted before the check; this only indexes the row, so the sweep deletes it once forgotten.
    internal Task RecordFailureAsync(LoginAttempt attempt, CancellationToken cancellationToken) =>
        store.IndexAsync(attempt.Counter, options.Value.AccountFailureMemory, cancellationToken);

    /// <summary>The counter after one more failure at <paramref name="now"/>.</summary>
    private ThrottleCounter Failed(ThrottleCounter counter, DateTimeOffset now)
    {
        // Note: failures older than the memory are forgotten, as the sweep would have deleted their row.
        var failures = counter.Since + options.Value.AccountFailureMemory <= now && counter.RetryAfter(now) is null ? 1 : counter.Count + 1;
        var limit = options.Value.AccountFailureLimit;
        var delayFrom = (limit + 1) / 2;
        var lockout = options.Value.AccountLockout;
        TimeSpan? wait = failures >= limit ? lockout
            : failures >= delayFrom ? TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - delayFrom), lockout.TotalSeconds))
            : null;
        return counter with { Count = failures, Since = now, BlockedUntil = now + wait };
    }
}

/// <summary>
/// One login attempt against an account's counter: refused (<see cref="RetryAfter"/>), or already counted as a failure,
/// which a success clears.
/// </summary>
public sealed record LoginAttempt(AccountThrottle Throttle, ThrottleCounter Counter, TimeSpan? RetryAfter)
{
    public Task SucceededAsync(CancellationToken cancellationToken) => Throttle.RecordSuccessAsync(this, cancellationToken);

    /// <summary>The password was wrong: the count stays, and the row is indexed for the sweep (one write).</summary>
    public Task FailedAsync(CancellationToken cancellationToken) => Throttle.RecordFailureAsync(this, cancellationToken);
}
