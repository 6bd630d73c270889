namespace FuncSessions.Throttling;

public interface IThrottleStore
{
    /// <summary>One point read; a counter with no strikes when the key has no row.</summary>
    Task<ThrottleCounter> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts (empty <see cref="ThrottleCounter.Version"/>) or replaces the row if unchanged since it was read. The stored
    /// counter, or null when another writer got there first.
    /// </summary>
    Task<ThrottleCounter?> TryWriteAsync(ThrottleCounter counter, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the row if unchanged since it was read; false when another writer changed it.</summary>
    Task<bool> TryDeleteAsync(ThrottleCounter counter, CancellationToken cancellationToken);

    /// <summary>
    /// Records the row in the expiry index, so the sweep deletes it once <see cref="ThrottleCounter.Since"/> +
    /// <paramref name="lifetime"/> and <see cref="ThrottleCounter.BlockedUntil"/> have passed. Called from the writes
    /// whose count survives (a counted failure, an opened registration window), never from a successful login's.
    /// </summary>
    Task IndexAsync(ThrottleCounter counter, TimeSpan lifetime, CancellationToken cancellationToken);
}
