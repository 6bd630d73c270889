namespace FuncSessions.Throttling;

/// <summary>
/// Fixed-window counts per key in the throttle table, shared by every instance through conditional writes: a slot is
/// taken before the work it pays for (refused once the window is full), given back when that work turned out not to
/// count, or a count is added after the fact.
/// </summary>
internal sealed class WindowCounter(IThrottleStore store, TimeProvider time)
{
    // Note: a take that loses this many compare-and-swaps in a row fails closed (refused), so a store that never lets a
    // write through cannot hold a request for ever; real contention settles far sooner (see TakeAsync).
    private const int MaxTakeRounds = 100;

    // Note: rounds a give-back tries before it is dropped (an over-count, the safe side).
    private const int MaxGiveBackRounds = 5;

    /// <summary>
    /// Takes one slot (a read and a conditional write, again after each lost compare-and-swap): the stored counter, or
    /// how long to wait when the window is full. Retrying cannot go on for ever: each lost round means another
    /// request's take (or give-back of an earlier take) landed, and a window admits only so many takes, so a burst of
    /// real users behind one address is served in turn instead of being refused for losing races.
    /// </summary>
    public async Task<(ThrottleCounter? Taken, TimeSpan? RetryAfter)> TakeAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxTakeRounds; round++)
        {
            var counter = InWindow(await store.FindAsync(key, cancellationToken), window);
            if (counter.Count >= limit)
            {
                return (null, counter.Since + window - time.GetUtcNow());
            }

            if (await store.TryWriteAsync(Next(counter, limit, window), cancellationToken) is { } taken)
            {
                return (taken, null);
            }
        }

        return (null, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Counts one after the fact, retrying until it is counted. Each lost round means another writer's count landed, so
    /// the loop ends however many requests race.
    /// </summary>
    public async Task<ThrottleCounter> AddAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        while (true)
        {
            var counter = InWindow(await store.FindAsync(key, cancellationToken), window);
            if (await store.TryWriteAsync(Next(counter, limit, window), cancellationToken) is { } added)
            {
                return added;
            }
        }
    }

    /// <summary>
    /// Gives back a slot whose work did not count: one conditional write while nobody else wrote since. Once the window
    /// has moved on there is nothing to give back; a give-back that keeps losing is dropped, which over-counts (the
    /// safe side).
    /// </summary>
    public async Task GiveBackAsync(ThrottleCounter taken, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() >= taken.Since + window)
        {
            // Note: the window is over, so the row counts for nothing; deleted unless someone wrote since (then theirs).
            await store.TryDeleteAsync(taken, cancellationToken);
            return;
        }

        var counter = taken;
        for (var round = 0; round < MaxGiveBackRounds && time.GetUtcNow() < taken.Since + window && counter.Count > 0; round++)
        {
            var count = counter.Count - 1;
            // Note: a row given back to zero is deleted (the same one call), so only rows with a counted failure remain,
            // and those are indexed for the sweep by whoever counted it; a successful login writes no index entry.
            var settled = count == 0
                ? await store.TryDeleteAsync(counter, cancellationToken)
                : await store.TryWriteAsync(counter with { Count = count, BlockedUntil = count >= limit ? counter.BlockedUntil : null }, cancellationToken) is not null;
            if (settled)
            {
                return;
            }

            counter = await store.FindAsync(taken.Key, cancellationToken);
        }

        // Note: dropped (an over-count): the row keeps a count nobody indexed, so it is indexed here.
        if (counter.Version.Length > 0 && counter.Count > 0)
        {
            await store.IndexAsync(counter, window, cancellationToken);
        }
    }

    /// <summary>The counter as of now: a new, empty window once the stored one has ended (or there is no row).</summary>
    private ThrottleCounter InWindow(ThrottleCounter counter, TimeSpan window)
    {
        var now = time.GetUtcNow();
        return counter.Version.Length == 0 || now >= counter.Since + window
            ? counter with { Count = 0, Since = now, BlockedUntil = null }
            : counter;
    }

    private static ThrottleCounter Next(ThrottleCounter counter, int limit, TimeSpan window) => counter with
    {
        Count = counter.Count + 1,
        BlockedUntil = counter.Count + 1 >= limit ? counter.Since + window : null,
    };
}
