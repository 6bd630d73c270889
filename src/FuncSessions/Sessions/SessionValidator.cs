using FuncSessions.Tokens;
using Microsoft.Extensions.Options;

namespace FuncSessions.Sessions;

/// <summary>The hot path: a verified access token plus one point read of a live session row.</summary>
public sealed class SessionValidator(
    AccessTokenValidator accessTokens, ISessionStore store, IOptions<SessionOptions> options, TimeProvider time)
{
    /// <summary>The live session the token belongs to, or null (bad token, logged out, revoked, expired).</summary>
    public ValueTask<Session?> ValidateAsync(ReadOnlySpan<char> accessToken, CancellationToken cancellationToken) =>
        FindLiveAsync(accessTokens.ValidateAsync(accessToken), cancellationToken);

    private async ValueTask<Session?> FindLiveAsync(ValueTask<AccessTokenClaims?> verifying, CancellationToken cancellationToken)
    {
        if (await verifying is not { } claims)
        {
            return null;
        }

        var session = await store.FindAsync(claims.UserId, claims.SessionId, cancellationToken);
        return session is not null && session.IsLiveAt(time.GetUtcNow(), options.Value) ? session : null;
    }
}
