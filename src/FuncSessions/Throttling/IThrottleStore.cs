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
}
