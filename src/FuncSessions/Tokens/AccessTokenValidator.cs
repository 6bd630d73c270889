using FuncSessions.Sessions;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncSessions.Tokens;

/// <summary>
/// Verifies access tokens: ES256 only, our issuer, audience and <c>typ</c>, known <c>kid</c> only (no "try every
/// key"), lifetimes against <see cref="TimeProvider"/> with 30 s of skew. A token that verified once is remembered
/// until it expires, because validate runs on every page load with the same token and an ES256 verify costs far
/// more than the storage read's CPU.
/// </summary>
public sealed class AccessTokenValidator : IDisposable
{
    /// <summary>Longest token we attempt to parse; ours are under 1 KiB.</summary>
    public const int MaxTokenLength = 4096;

    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;
    private readonly TimeProvider _time;
    private readonly MemoryCache _verified = new(new MemoryCacheOptions { SizeLimit = 50_000 });

    public AccessTokenValidator(SigningKeyRing keys, IOptions<TokenOptions> options, TimeProvider time)
    {
        _time = time;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer,
            ValidAudience = options.Value.Audience,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = [AccessTokenIssuer.TokenType],
            IssuerSigningKeys = keys.Keys,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // Note: lifetimes are checked below against TimeProvider, not the library's wall clock.
            ValidateLifetime = false,
        };
    }

    // Note: a remembered token (validate's usual case) is looked up by its characters and answered without an await,
    // so the hot path makes neither a string of the token nor a task.
    public ValueTask<AccessTokenClaims?> ValidateAsync(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || token.Length > MaxTokenLength)
        {
            return ValueTask.FromResult<AccessTokenClaims?>(null);
        }

        return _verified.TryGetValue(token, out AccessTokenClaims? remembered) && remembered is not null
            ? ValueTask.FromResult(WithinLifetime(remembered))
            : VerifyAndRememberAsync(token.ToString());
    }

    private async ValueTask<AccessTokenClaims?> VerifyAndRememberAsync(string token)
    {
        if (await VerifySignatureAndClaimsAsync(token) is not { } claims)
        {
            return null;
        }

        _verified.Set(token, claims, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = claims.ExpiresAt + ClockSkew });
        return WithinLifetime(claims);
    }

    private AccessTokenClaims? WithinLifetime(AccessTokenClaims claims)
    {
        var now = _time.GetUtcNow();
        return now <= claims.ExpiresAt + ClockSkew && now >= claims.NotBefore - ClockSkew && now >= claims.IssuedAt - ClockSkew
            ? claims
            : null;
    }

    public void Dispose() => _verified.Dispose();

    private async Task<AccessTokenClaims?> VerifySignatureAndClaimsAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var userId) || !SecureIds.IsWellFormedId(userId)
            || !jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sid, out var sessionId) || !SecureIds.IsWellFormedId(sessionId)
            || !jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp)
            || !jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf)
            || !jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat))
        {
            return null;
        }

        return new AccessTokenClaims(userId, sessionId,
            DateTimeOffset.FromUnixTimeSeconds(exp), DateTimeOffset.FromUnixTimeSeconds(nbf), DateTimeOffset.FromUnixTimeSeconds(iat));
    }
}
