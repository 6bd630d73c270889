using Microsoft.Extensions.Options;

namespace FuncSessions.Throttling;

/// <summary>
/// Per-account brute-force defence (NIST 800-63B-4 §3.2.2), keyed by the normalised login name whether or not such an
/// account exists, so a locked name answers the same either way. Failures count consecutively; from half the limit on
/// each one makes the next attempt wait 1, 2, 4, … seconds, and at the limit the name is locked for the cool-down. A
/// success clears the count, and refused attempts do not count, so nobody can extend a lockout by hammering it.
/// </summary>
public sealed class AccountThrottle(IThrottleStore store, IOptions<ThrottleOptions> options, TimeProvider time)
{
    // Note: compare-and-swap rounds before giving up under contention; each lost round means another attempt was counted.
    private const int MaxRounds = 5;

    /// <summary>
    /// Reads the counter (one point read) and, when the name already has failures, counts this attempt as one before
    /// the password is checked: parallel guesses then each take a slot and cannot overrun the limit together.
    /// </summary>
    public async Task<LoginAttempt> BeginAsync(string normalizedUsername, CancellationToken cancellationToken)
    {
        var key = ThrottleKeys.Account(normalizedUsername);
        for (var round = 0; round < MaxRounds; round++)
        {
            var counter = await store.FindAsync(key, cancellationToken);
            var now = time.GetUtcNow();
            if (counter.RetryAfter(now) is { } wait)
            {
                return new LoginAttempt(this, counter, wait, Reserved: false);
            }

            if (counter.Count == 0)
            {
                return new LoginAttempt(this, counter, null, Reserved: false);
            }

            if (await store.TryWriteAsync(Failed(counter, now), cancellationToken) is { } reserved)
            {
                return new LoginAttempt(this, reserved, null, Reserved: true);
            }
        }

        return new LoginAttempt(this, new ThrottleCounter { Key = key }, TimeSpan.FromSeconds(1), Reserved: false);
    }

    internal async Task RecordFailureAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Reserved)
        {
            return;
        }

        var counter = attempt.Counter;
        for (var round = 0; round < MaxRounds; round++)
        {
            if (await store.TryWriteAsync(Failed(counter, time.GetUtcNow()), cancellationToken) is not null)
            {
                return;
            }

            counter = await store.FindAsync(counter.Key, cancellationToken);
        }
    }

    internal async Task RecordSuccessAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Counter.Count > 0)
        {
            await store.DeleteAsync(attempt.Counter.Key, cancellationToken);
        }
    }

    /// <summary>The counter after one more failure at <paramref name="now"/>.</summary>
    private ThrottleCounter Failed(ThrottleCounter counter, DateTimeOffset now)
    {
        var failures = counter.Count + 1;
        var limit = options.Value.AccountFailureLimit;
        var delayFrom = (limit + 1) / 2;
        var lockout = options.Value.AccountLockout;
        TimeSpan? wait = failures >= limit ? lockout
            : failures >= delayFrom ? TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - delayFrom), lockout.TotalSeconds))
            : null;
        return counter with { Count = failures, Since = now, BlockedUntil = now + wait };
    }
}

/// <summary>One login attempt against an account's counter: refused (<see cref="RetryAfter"/>) or to be settled once.</summary>
public sealed record LoginAttempt(AccountThrottle Throttle, ThrottleCounter Counter, TimeSpan? RetryAfter, bool Reserved)
{
    public Task FailedAsync(CancellationToken cancellationToken) => Throttle.RecordFailureAsync(this, cancellationToken);

    public Task SucceededAsync(CancellationToken cancellationToken) => Throttle.RecordSuccessAsync(this, cancellationToken);
}
