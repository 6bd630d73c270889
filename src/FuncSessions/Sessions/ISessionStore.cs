namespace FuncSessions.Sessions;

/// <summary>
/// Persistence of session rows. Every method is at most one storage transaction per row touched, except
/// <see cref="CreateAsync"/> which also writes the expiry index entry the sweep needs.
/// </summary>
public interface ISessionStore
{
    Task<Session?> FindAsync(string userId, string sessionId, CancellationToken cancellationToken);

    /// <summary>Inserts a new session and its expiry index entry; returns it with its storage version.</summary>
    Task<Session> CreateAsync(Session session, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="updated"/> if the row still has <paramref name="current"/>'s <see cref="Session.Version"/>;
    /// returns the stored row with its new version, or null when another writer got there first or the row is gone.
    /// <paramref name="current"/> is the row as read, so that a store may send only what changed.
    /// </summary>
    Task<Session?> TryUpdateAsync(Session current, Session updated, CancellationToken cancellationToken);

    /// <summary>Deletes the row whatever its version; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken);

    /// <summary>All rows of one user (a single-partition query).</summary>
    Task<IReadOnlyList<Session>> ListAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes every session of the user except <paramref name="keepSessionId"/>; returns how many went.</summary>
    Task<int> DeleteAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken);
}
