using System.Security.Claims;
using FuncSessions.Sessions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FuncSessions.Tokens;

/// <summary>Mints ES256 access tokens (<c>typ: at+jwt</c>, RFC 9068 shape) for a live session.</summary>
public sealed class AccessTokenIssuer(
    SigningKeyRing keys, IOptions<TokenOptions> options, IOptions<SessionOptions> sessionOptions, TimeProvider time)
{
    public const string TokenType = "at+jwt";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessToken Issue(Session session)
    {
        var now = time.GetUtcNow();
        // Note: never outlive the session, so an offline verifier cannot accept a token past the session's end.
        var expires = now + options.Value.AccessTokenLifetime;
        var sessionEnd = session.ExpiresAt(sessionOptions.Value);
        if (sessionEnd < expires)
        {
            expires = sessionEnd;
        }

        var token = _handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            TokenType = TokenType,
            SigningCredentials = keys.Signing,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, session.UserId),
                new Claim(JwtRegisteredClaimNames.Sid, session.SessionId),
                new Claim(JwtRegisteredClaimNames.Jti, SecureIds.NewId()),
            ]),
            // Note: session data becomes top-level claims; SessionDataRules keeps it off every name set here (amr and
            // auth_time included, so no data can claim a stronger sign-in than the session had).
            Claims = new Dictionary<string, object>(
                session.Data.Values.Select(entry => KeyValuePair.Create(entry.Key, (object)entry.Value)), StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Amr] = session.Amr,
                [JwtRegisteredClaimNames.AuthTime] = session.CreatedAt.ToUnixTimeSeconds(),
            },
        });
        return new AccessToken(token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }
}
