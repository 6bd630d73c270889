using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncSessions.Validation;

/// <summary>
/// Verifies FuncSessions access tokens offline: ES256 only, <c>typ: at+jwt</c>, the configured issuer and audience,
/// a <c>kid</c> the app publishes, lifetimes against <see cref="TimeProvider"/> with 30 s of skew; then, in strict
/// mode, that the session is still live. The result exposes the user id, session id and session data.
/// </summary>
public sealed class FuncSessionsTokenVerifier
{
    /// <summary>Longest token attempted; FuncSessions tokens stay under 4 KiB (the cookie limit).</summary>
    public const int MaxTokenLength = 4096;

    private const string TokenType = "at+jwt";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Claims the token itself uses; every other top-level claim is a claim of the principal.</summary>
    private static readonly HashSet<string> TokenClaims = new(StringComparer.Ordinal) { "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid" };

    /// <summary>
    /// How and when the user signed in, and the account's address: claims of the principal (so an API can demand
    /// <c>amr</c> "mfa"), but not session data, which no data key may shadow (the server reserves these names).
    /// </summary>
    private static readonly HashSet<string> SignInClaims = new(StringComparer.Ordinal) { "amr", "auth_time", "email", "email_verified" };

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;
    private readonly SigningKeyCache _keys;
    private readonly StrictSessionCheck? _strict;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FuncSessionsTokenVerifier(FuncSessionsVerifierOptions options, Func<HttpClient> httpClients, TimeProvider time, ILogger<FuncSessionsTokenVerifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Check() is { } problem)
        {
            throw new InvalidOperationException("FuncSessions verifier options: " + problem);
        }

        _time = time;
        _logger = logger;
        _keys = new SigningKeyCache(options, httpClients, time, logger);
        _strict = options.StrictMode ? new StrictSessionCheck(options, httpClients, time, logger) : null;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = [TokenType],
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // Note: lifetimes are checked below against TimeProvider, not the library's wall clock.
            ValidateLifetime = false,
        };
    }

    /// <summary>The caller's principal, or null for a missing, malformed, forged, foreign, expired or (strict mode) revoked token.</summary>
    public async Task<ClaimsPrincipal?> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !_handler.CanReadToken(token))
        {
            return Refuse("malformed");
        }

        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Refuse("malformed");
        }

        // Note: the header is checked before any key lookup, so only ES256 at+jwt tokens can make us fetch keys.
        if (jwt.Alg != SecurityAlgorithms.EcdsaSha256 || jwt.Typ != TokenType || string.IsNullOrEmpty(jwt.Kid))
        {
            return Refuse("wrong algorithm, type or no kid");
        }

        if (await _keys.FindAsync(jwt.Kid, cancellationToken) is not { } key)
        {
            return Refuse("unknown kid");
        }

        var parameters = _parameters.Clone();
        parameters.IssuerSigningKey = key;
        var result = await _handler.ValidateTokenAsync(jwt, parameters);
        if (!result.IsValid)
        {
            return Refuse("signature, issuer, audience or type");
        }

        if (!jwt.TryGetPayloadValue<long>("exp", out var exp)
            || !jwt.TryGetPayloadValue<string>("sub", out var userId) || string.IsNullOrEmpty(userId)
            || !jwt.TryGetPayloadValue<string>("sid", out var sessionId) || string.IsNullOrEmpty(sessionId))
        {
            return Refuse("missing exp, sub or sid");
        }

        var now = _time.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (now > expiresAt + ClockSkew
            || (jwt.TryGetPayloadValue<long>("nbf", out var nbf) && now < DateTimeOffset.FromUnixTimeSeconds(nbf) - ClockSkew)
            || (jwt.TryGetPayloadValue<long>("iat", out var iat) && now < DateTimeOffset.FromUnixTimeSeconds(iat) - ClockSkew))
        {
            return Refuse("expired or not yet valid");
        }

        if (_strict is not null && !await _strict.IsLiveAsync(token, sessionId, cancellationToken))
        {
            return Refuse("session no longer live");
        }

        var claims = ReadClaims(jwt);
        var data = claims.Where(c => !SignInClaims.Contains(c.Key)).ToDictionary(StringComparer.Ordinal);
        return new ClaimsPrincipal(new FuncSessionsIdentity(Claims(userId, sessionId, claims), data, expiresAt));
    }

    private ClaimsPrincipal? Refuse(string reason)
    {
        _logger.TokenRefused(reason);
        return null;
    }

    private static Dictionary<string, JsonElement> ReadClaims(JsonWebToken jwt)
    {
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedPayload));
        return payload.RootElement.EnumerateObject()
            .Where(claim => !TokenClaims.Contains(claim.Name))
            .ToDictionary(claim => claim.Name, claim => claim.Value.Clone(), StringComparer.Ordinal);
    }

    private static List<Claim> Claims(string userId, string sessionId, Dictionary<string, JsonElement> data)
    {
        var claims = new List<Claim> { new(FuncSessionsClaimTypes.UserId, userId), new(FuncSessionsClaimTypes.SessionId, sessionId) };
        foreach (var (name, value) in data)
        {
            var values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
            claims.AddRange(values.Select(v => v.ValueKind switch
            {
                JsonValueKind.String => new Claim(name, v.GetString()!),
                JsonValueKind.True or JsonValueKind.False => new Claim(name, v.GetBoolean() ? "true" : "false", ClaimValueTypes.Boolean),
                JsonValueKind.Number when v.TryGetInt64(out var integer) =>
                    new Claim(name, integer.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
                _ => new Claim(name, v.GetRawText(), v.ValueKind == JsonValueKind.Number ? ClaimValueTypes.Double : "JSON"),
            }));
        }

        return claims;
    }
}
