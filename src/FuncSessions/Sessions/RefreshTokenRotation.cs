using FuncSessions.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Sessions;

public enum RefreshOutcome
{
    /// <summary>New access token and refresh token issued.</summary>
    Rotated,

    /// <summary>Unknown, malformed or foreign token; nothing changed.</summary>
    Invalid,

    /// <summary>The session passed its idle or absolute deadline.</summary>
    Expired,

    /// <summary>A spent token came back outside the grace window: the session was revoked.</summary>
    ReuseDetected,
}

public sealed record RefreshResult(RefreshOutcome Outcome, IssuedSession? Issued = null);

/// <summary>
/// Refresh-token rotation with reuse detection (RFC 9700 §4.14.2). One compare-and-swap on the session row decides
/// each rotation, so two tabs refreshing with the same token can never both win: the loser finds its token is the
/// immediate parent of the winner's, and inside the grace window receives the very same successor (opened from the
/// seal only a holder of the parent can open). Any other spent token revokes the whole session.
/// </summary>
public sealed class RefreshTokenRotation(
    ISessionStore store, AccessTokenIssuer accessTokens, IOptions<SessionOptions> options, TimeProvider time, LogHash logHash,
    ILogger<RefreshTokenRotation> logger)
{
    public async Task<RefreshResult> RotateAsync(string? presented, ClientInfo client, CancellationToken cancellationToken)
    {
        if (!RefreshToken.TryParse(presented, out var token))
        {
            return new RefreshResult(RefreshOutcome.Invalid);
        }

        var hash = token.Hash;
        // Note: a lost compare-and-swap means another refresh rotated (this token is now the parent) or a session-data
        // update changed the row (this token is still current); three rounds settle any mix of the two.
        for (var round = 0; round < 3; round++)
        {
            var session = await store.FindAsync(token.UserId, token.SessionId, cancellationToken);
            if (session is null)
            {
                return new RefreshResult(RefreshOutcome.Invalid);
            }

            var now = time.GetUtcNow();
            if (!session.IsLiveAt(now, options.Value))
            {
                return new RefreshResult(RefreshOutcome.Expired);
            }

            if (session.IsCurrentToken(hash))
            {
                var successor = RefreshToken.Create(session.UserId, session.SessionId);
                var idle = now + options.Value.IdleTimeout;
                var rotated = await store.TryUpdateAsync(session, session with
                {
                    RefreshTokenHash = successor.Hash,
                    SpentTokenHashes = [hash, .. session.SpentTokenHashes.Take(options.Value.SpentTokenHistory - 1)],
                    LastRotatedAt = now,
                    SealedSuccessor = token.Seal(successor),
                    LastSeenAt = now,
                    IdleExpiresAt = idle < session.AbsoluteExpiresAt ? idle : session.AbsoluteExpiresAt,
                    Generation = session.Generation + 1,
                    UserAgent = client.UserAgent ?? session.UserAgent,
                    IpAddress = client.IpAddress ?? session.IpAddress,
                }, cancellationToken);
                if (rotated is null)
                {
                    continue;
                }

                logger.SessionRefreshed(logHash.Of(session.SessionId), rotated.Generation);
                return new RefreshResult(RefreshOutcome.Rotated, new IssuedSession(rotated, accessTokens.Issue(rotated), successor));
            }

            if (session.IsParentToken(hash)
                && now - session.LastRotatedAt <= options.Value.RefreshGracePeriod
                && token.OpenSuccessor(session.SealedSuccessor) is { } sameSuccessor
                && SecureIds.ConstantTimeEquals(sameSuccessor.Hash, session.RefreshTokenHash))
            {
                logger.SessionRefreshRaceJoined(logHash.Of(session.SessionId), session.Generation);
                return new RefreshResult(RefreshOutcome.Rotated, new IssuedSession(session, accessTokens.Issue(session), sameSuccessor));
            }

            if (session.SpentTokenHashes.Any(spent => SecureIds.ConstantTimeEquals(hash, spent)))
            {
                await store.DeleteAsync(session.UserId, session.SessionId, cancellationToken);
                logger.RefreshReuseDetected(logHash.Of(session.SessionId), client.IpAddress, client.UserAgent);
                return new RefreshResult(RefreshOutcome.ReuseDetected);
            }

            // Note: a token this session never issued. Not proof of theft (the ids are visible in any access token),
            // so it must not let an outsider revoke someone's session.
            return new RefreshResult(RefreshOutcome.Invalid);
        }

        return new RefreshResult(RefreshOutcome.Invalid);
    }
}
