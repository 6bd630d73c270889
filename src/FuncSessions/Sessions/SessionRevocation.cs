using Microsoft.Extensions.Logging;

namespace FuncSessions.Sessions;

/// <summary>Ends sessions by deleting their rows, which every validate and refresh reads: effective at once.</summary>
public sealed class SessionRevocation(ISessionStore store, ILogger<SessionRevocation> logger)
{
    public async Task<bool> RevokeAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        var revoked = await store.DeleteAsync(userId, sessionId, cancellationToken);
        if (revoked)
        {
            logger.SessionRevoked(LogHash.Of(sessionId));
        }

        return revoked;
    }

    /// <summary>Revokes every session of the user except <paramref name="keepSessionId"/> (null: all of them).</summary>
    public async Task<int> RevokeAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        var count = await store.DeleteAllAsync(userId, keepSessionId, cancellationToken);
        logger.SessionsRevokedForUser(LogHash.Of(userId), count);
        return count;
    }
}
