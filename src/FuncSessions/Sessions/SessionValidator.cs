using FuncSessions.Tokens;
using Microsoft.Extensions.Options;

namespace FuncSessions.Sessions;

/// <summary>The hot path: a verified access token plus one point read of a live session row.</summary>
public sealed class SessionValidator(
    AccessTokenValidator accessTokens, ISessionStore store, IOptions<SessionOptions> options, TimeProvider time)
{
    /// <summary>The live session the token belongs to, or null (bad token, logged out, revoked, expired).</summary>
    public async Task<Session?> ValidateAsync(string? accessToken, CancellationToken cancellationToken)
    {
        if (await accessTokens.ValidateAsync(accessToken) is not { } claims)
        {
            return null;
        }

        var session = await store.FindAsync(claims.UserId, claims.SessionId, cancellationToken);
        return session is not null && session.IsLiveAt(time.GetUtcNow(), options.Value) ? session : null;
    }
}
