using FuncSessions.Users;

namespace FuncSessions.External;

/// <summary>The index row of one (provider, subject): which account it signs in to, and its storage version.</summary>
public sealed record IdentityIndex(string UserId, string UserKey, string Version);

public interface IExternalIdentityStore
{
    /// <summary>One point read.</summary>
    Task<IdentityIndex?> FindAsync(string provider, string subject, CancellationToken cancellationToken);

    /// <summary>
    /// Points (provider, subject) at <paramref name="user"/>: an insert, or with <paramref name="replacing"/> a replace
    /// of that version of the row (one naming no live link). False when another writer got there first.
    /// </summary>
    Task<bool> TryClaimAsync(string provider, string subject, UserAccount user, IdentityIndex? replacing, CancellationToken cancellationToken);

    /// <summary>Deletes the index row if it names <paramref name="userId"/>.</summary>
    Task ReleaseAsync(string provider, string subject, string userId, CancellationToken cancellationToken);
}
