using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Throttling;

/// <summary>
/// Per-client-address throttling of the endpoints that cost a password hash or reveal guesses: failed logins, failed
/// refreshes and registrations count in a fixed window shared by every instance through the throttle table.
/// <para>
/// Successful requests cost nothing: only a strike reads and writes the shared counter. What an instance learns from
/// that write (the address is over the limit) it keeps in memory until the window ends, and answers every request from
/// that address with 429 without a storage call. Another instance learns it at its own next strike from the address,
/// so an address over the limit gets at most one more counted attempt per instance per window.
/// </para>
/// </summary>
public sealed class ClientThrottle(IThrottleStore store, IOptions<ThrottleOptions> options, TimeProvider time, ILogger<ClientThrottle> logger)
{
    // Note: bounds the memory an attacker with many addresses can make us hold; expired entries go first, and losing a
    // live one only costs one more counted strike before it is learnt again.
    private const int MaxBlockedAddresses = 10_000;
    private const int MaxRounds = 5;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _blocked = new(StringComparer.Ordinal);

    /// <summary>How long the address must wait, from this instance's memory only (no storage call); null when it may go on.</summary>
    public TimeSpan? RetryAfter(string? address)
    {
        if (ThrottleKeys.Client(address) is not { } key || !_blocked.TryGetValue(key, out var until))
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

    /// <summary>Counts one strike against the address (a read and a conditional write).</summary>
    public async Task StrikeAsync(string? address, CancellationToken cancellationToken)
    {
        if (ThrottleKeys.Client(address) is not { } key)
        {
            return;
        }

        for (var round = 0; round < MaxRounds; round++)
        {
            var counter = await store.FindAsync(key, cancellationToken);
            var now = time.GetUtcNow();
            var window = options.Value.ClientWindow;
            var next = counter.Version.Length == 0 || now >= counter.Since + window
                ? counter with { Count = 1, Since = now, BlockedUntil = null }
                : counter with { Count = counter.Count + 1 };
            if (next.Count >= options.Value.ClientLimit)
            {
                next = next with { BlockedUntil = next.Since + window };
            }

            if (await store.TryWriteAsync(next, cancellationToken) is null)
            {
                continue;
            }

            if (next.BlockedUntil is { } until)
            {
                Remember(key, until);
                if (next.Count == options.Value.ClientLimit)
                {
                    logger.ClientThrottled(address!, until);
                }
            }

            return;
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
