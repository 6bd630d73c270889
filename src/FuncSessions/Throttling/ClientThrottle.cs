using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Throttling;

/// <summary>
/// Per-client-address throttling of guesses: failed logins and refreshes that present an unknown token count in a
/// fixed window shared by every instance through the throttle table. Only guesses count: a successful login gives its
/// slot back, a refresh that presents no token is not counted, and registrations have a budget of their own
/// (<see cref="RegistrationThrottle"/>).
/// <para>
/// A login takes its slot before the password is checked (<see cref="ReserveAsync"/>), so parallel guesses cannot
/// overrun the limit together on any number of instances: the storage counter admits at most <c>ClientLimit</c>
/// checks per window. What an instance learns from a counted failure (the address is over the limit) it keeps in
/// memory until the window ends, and answers every request from that address with 429 without a storage call
/// (<see cref="RetryAfter"/>); other instances are refused by the counter itself.
/// </para>
/// </summary>
public sealed class ClientThrottle(IThrottleStore store, IOptions<ThrottleOptions> options, TimeProvider time, ILogger<ClientThrottle> logger)
{
    // Note: bounds the memory an attacker with many addresses can make us hold; expired entries go first, and losing a
    // live one only costs a storage read per request until it is learnt again.
    private const int MaxBlockedAddresses = 10_000;

    private readonly WindowCounter _counter = new(store, time);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blocked = new(StringComparer.Ordinal);

    /// <summary>How long the address must wait, from this instance's memory only (no storage call); null when it may go on.</summary>
    public TimeSpan? RetryAfter(string? address)
    {
        var key = ThrottleKeys.Client(address);
        if (!_blocked.TryGetValue(key, out var until))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (until > now)
        {
            return until - now;
        }

        _blocked.TryRemove(KeyValuePair.Create(key, until));
        return null;
    }

    /// <summary>
    /// Counts a login as a failed guess before its password is checked (a read and a conditional write); refused
    /// (<see cref="GuessSlot.RetryAfter"/>) when the address has no slot left in the window.
    /// </summary>
    public async Task<GuessSlot> ReserveAsync(string? address, CancellationToken cancellationToken)
    {
        var (taken, wait) = await _counter.TakeAsync(ThrottleKeys.Client(address), options.Value.ClientLimit, options.Value.ClientWindow, cancellationToken);
        return new GuessSlot(this, address, taken, wait);
    }

    /// <summary>Counts one failed guess after the fact (a refresh with an unknown token), retrying until it is counted.</summary>
    public async Task StrikeAsync(string? address, CancellationToken cancellationToken)
    {
        var counted = await _counter.AddAsync(ThrottleKeys.Client(address), options.Value.ClientLimit, options.Value.ClientWindow, cancellationToken);
        await store.IndexAsync(counted, options.Value.ClientWindow, cancellationToken);
        Learn(address, counted);
    }

    internal async Task SettleAsync(GuessSlot slot, bool succeeded, CancellationToken cancellationToken)
    {
        if (succeeded)
        {
            await _counter.GiveBackAsync(slot.Taken!, options.Value.ClientLimit, options.Value.ClientWindow, cancellationToken);
        }
        else
        {
            await store.IndexAsync(slot.Taken!, options.Value.ClientWindow, cancellationToken);
            Learn(slot.Address, slot.Taken!);
        }
    }

    /// <summary>Remembers an address whose counted guesses reached the limit, and logs it the first time.</summary>
    private void Learn(string? address, ThrottleCounter counted)
    {
        if (counted.BlockedUntil is not { } until)
        {
            return;
        }

        Remember(counted.Key, until);
        if (counted.Count == options.Value.ClientLimit)
        {
            logger.ClientThrottled(address ?? "unknown", until);
        }
    }

    private void Remember(string key, DateTimeOffset until)
    {
        if (_blocked.Count >= MaxBlockedAddresses)
        {
            var now = time.GetUtcNow();
            foreach (var expired in _blocked.Where(e => e.Value <= now).ToList())
            {
                _blocked.TryRemove(expired);
            }

            if (_blocked.Count >= MaxBlockedAddresses)
            {
                _blocked.Clear();
            }
        }

        _blocked[key] = until;
    }
}

/// <summary>
/// A login's slot in its address's guess budget: refused (<see cref="RetryAfter"/>), or taken and to be settled once:
/// a success gives it back, a failure leaves it counted.
/// </summary>
public sealed record GuessSlot(ClientThrottle Throttle, string? Address, ThrottleCounter? Taken, TimeSpan? RetryAfter)
{
    public Task SucceededAsync(CancellationToken cancellationToken) => Throttle.SettleAsync(this, succeeded: true, cancellationToken);

    public Task FailedAsync(CancellationToken cancellationToken) => Throttle.SettleAsync(this, succeeded: false, cancellationToken);
}
