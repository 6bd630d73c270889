using FuncSessions.Sessions;
using FuncSessions.Users;

namespace FuncSessions.SecondFactors;

/// <summary>
/// A change to how the account signs in that ends its sessions (a recovery code used, the last factor removed): the
/// user's <see cref="UserAccount.CredentialVersion"/> goes up first, so a login in flight against the old state has its
/// session withdrawn (<see cref="SessionIssuer"/>), then the sessions are deleted, as for a password change.
/// </summary>
public sealed class CredentialChange(IUserStore users, SessionRevocation revocation)
{
    // Note: compare-and-swap rounds before giving up; each lost round means another change of the same row landed.
    private const int MaxRounds = 5;

    /// <summary>The user as written with the new version, or null when the account is gone or kept changing.</summary>
    public async Task<UserAccount?> EndSessionsAsync(UserAccount user, string? keepSessionId, CancellationToken cancellationToken)
    {
        var current = user;
        for (var round = 0; round < MaxRounds; round++)
        {
            var changed = current with { CredentialVersion = current.CredentialVersion + 1 };
            if (await users.TryReplaceAsync(changed, cancellationToken))
            {
                await revocation.RevokeAllAsync(user.UserId, keepSessionId, cancellationToken);
                // Note: its Version is the old ETag; callers only issue sessions against it, which compares CredentialVersion.
                return changed;
            }

            if (await users.FindByKeyAsync(user.Key, cancellationToken) is not { } reread
                || reread.UserId != user.UserId)
            {
                return null;
            }

            current = reread;
        }

        return null;
    }

    /// <summary>The account a session belongs to (one point read), or null when it no longer exists.</summary>
    public async Task<UserAccount?> FindAsync(Session session, CancellationToken cancellationToken) =>
        await users.FindByKeyAsync(session.UserKey, cancellationToken) is { } user && user.UserId == session.UserId ? user : null;
}
