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
            // Note: session data becomes top-level claims; SessionDataRules keeps it off every name set above and in
            // Claims (amr and auth_time too, so no data can claim a stronger sign-in than the session had).
            Claims = Claims(session),
        });
        return new AccessToken(token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    // Note: the OpenID Connect names, only when the account has an address; SessionDataRules reserves both.
    private static Dictionary<string, object> Claims(Session session)
    {
        var claims = session.Data.Values.ToDictionary(entry => entry.Key, entry => (object)entry.Value, StringComparer.Ordinal);
        claims[JwtRegisteredClaimNames.Amr] = session.Amr;
        claims[JwtRegisteredClaimNames.AuthTime] = session.CreatedAt.ToUnixTimeSeconds();
        if (session.Email is { } email)
        {
            claims["email"] = email;
            claims["email_verified"] = session.EmailVerified;
        }

        return claims;
    }
}
