using Microsoft.Extensions.Logging;

namespace FuncSessions.Sessions;

/// <summary>Ends sessions by deleting their rows, which every validate and refresh reads: effective at once.</summary>
public sealed class SessionRevocation(ISessionStore store, LogHash logHash, ILogger<SessionRevocation> logger)
{
    public async Task<bool> RevokeAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        var revoked = await store.DeleteAsync(userId, sessionId, cancellationToken);
        if (revoked)
        {
            logger.SessionRevoked(logHash.Of(sessionId));
        }

        return revoked;
    }

    /// <summary>
    /// Revokes the session a refresh token belongs to, but only if it is that session's current token or its parent:
    /// proof the caller holds the session (the ids alone are visible in any access token). False when it is neither.
    /// </summary>
    public async Task<bool> RevokeByRefreshTokenAsync(string? presented, CancellationToken cancellationToken)
    {
        if (!RefreshToken.TryParse(presented, out var token)
            || await store.FindAsync(token.UserId, token.SessionId, cancellationToken) is not { } session
            || !(session.IsCurrentToken(token.Hash) || session.IsParentToken(token.Hash)))
        {
            return false;
        }

        return await RevokeAsync(session.UserId, session.SessionId, cancellationToken);
    }

    /// <summary>Revokes every session of the user except <paramref name="keepSessionId"/> (null: all of them).</summary>
    public async Task<int> RevokeAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        var count = await store.DeleteAllAsync(userId, keepSessionId, cancellationToken);
        logger.SessionsRevokedForUser(logHash.Of(userId), count);
        return count;
    }
}
