using FuncSessions.Sessions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace FuncSessions.External;

public enum IdTokenOutcome
{
    Valid,

    /// <summary>Signed with a key the provider's key set (as cached) lacks: worth one fresh read of the JWKS.</summary>
    UnknownKey,
    Invalid,
    TenantNotAllowed,
}

/// <param name="Reason">Why it was refused, for the log (no token content).</param>
public sealed record IdTokenResult(IdTokenOutcome Outcome, ExternalIdentity? Identity = null, string? Reason = null);

/// <summary>
/// Checks an ID token as OpenID Connect Core 3.1.3.7 asks: signature by a key of the provider's JWKS, issuer, audience
/// (our client id), <c>azp</c> when present (and required with several audiences), <c>exp</c> and <c>iat</c> against
/// <see cref="TimeProvider"/> with the same 30 s skew the access tokens get, and the <c>nonce</c> of this sign-in.
/// </summary>
public sealed class IdTokenValidator(TimeProvider time)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = 32 * 1024 };

    public async Task<IdTokenResult> ValidateAsync(
        string idToken, OpenIdConnectConfiguration configuration, ExternalProvider provider, string nonce)
    {
        var result = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidAudience = provider.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = Algorithms,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            // Note: the issuer (a template for multi-tenant Entra ID) and lifetimes are checked below, lifetimes against TimeProvider.
            ValidateIssuer = false,
            ValidateLifetime = false,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return result.Exception is SecurityTokenSignatureKeyNotFoundException
                ? new IdTokenResult(IdTokenOutcome.UnknownKey, Reason: "unknown signing key")
                : new IdTokenResult(IdTokenOutcome.Invalid, Reason: result.Exception?.GetType().Name ?? "invalid");
        }

        return CheckClaims(token, configuration.Issuer, provider, nonce);
    }

    private IdTokenResult CheckClaims(JsonWebToken token, string metadataIssuer, ExternalProvider provider, string nonce)
    {
        var tenant = token.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
        if (!IssuerMatches(token.Issuer, metadataIssuer, provider, tenant))
        {
            return Refused("issuer");
        }

        var now = time.GetUtcNow();
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp) || now > DateTimeOffset.FromUnixTimeSeconds(exp) + ClockSkew)
        {
            return Refused("expired");
        }

        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) || now < DateTimeOffset.FromUnixTimeSeconds(iat) - ClockSkew)
        {
            return Refused("issued in the future");
        }

        var audiences = token.Audiences.ToList();
        var hasAzp = token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Azp, out var azp);
        if ((hasAzp && azp != provider.ClientId) || (!hasAzp && audiences.Count > 1))
        {
            return Refused("azp");
        }

        if (!token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Nonce, out var tokenNonce) || !SecureIds.ConstantTimeEquals(tokenNonce, nonce))
        {
            return Refused("nonce");
        }

        if (provider.Kind == ExternalProviderKind.EntraId && !provider.AllowedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase))
        {
            return new IdTokenResult(IdTokenOutcome.TenantNotAllowed, Reason: "tenant");
        }

        return Subject(token, provider, tenant) is { Length: > 0 } subject
            ? new IdTokenResult(IdTokenOutcome.Valid, new ExternalIdentity(provider.Name, subject, Email(token), EmailVerified(token, provider), Name(token)))
            : Refused("subject");
    }

    private static IdTokenResult Refused(string reason) => new(IdTokenOutcome.Invalid, Reason: reason);

    // Note: multi-tenant Entra ID publishes "https://login.microsoftonline.com/{tenantid}/v2.0"; each token names its tenant.
    // Google documents both forms of its issuer.
    private static bool IssuerMatches(string issuer, string metadataIssuer, ExternalProvider provider, string? tenant) =>
        provider.Kind switch
        {
            ExternalProviderKind.EntraId => tenant is not null && issuer == metadataIssuer.Replace("{tenantid}", tenant, StringComparison.Ordinal),
            ExternalProviderKind.Google => issuer is "https://accounts.google.com" or "accounts.google.com",
            _ => issuer == metadataIssuer,
        };

    // Note: Entra ID's sub differs per application and its email can be set by any tenant's administrator; tid + oid
    // names the same user in every application, and never changes.
    private static string? Subject(JsonWebToken token, ExternalProvider provider, string? tenant) =>
        provider.Kind == ExternalProviderKind.EntraId
            ? tenant is not null && token.TryGetPayloadValue<string>("oid", out var oid) && oid.Length > 0 ? tenant + ":" + oid : null
            : token.Subject;

    private static string? Email(JsonWebToken token) => token.TryGetPayloadValue<string>("email", out var email) && email.Length > 0 ? email : null;

    private static bool EmailVerified(JsonWebToken token, ExternalProvider provider) =>
        provider.Kind != ExternalProviderKind.EntraId
        && ((token.TryGetPayloadValue<bool>("email_verified", out var verified) && verified)
            || (token.TryGetPayloadValue<string>("email_verified", out var text) && text == "true"));

    private static string? Name(JsonWebToken token) =>
        token.TryGetPayloadValue<string>("name", out var name) && name.Length > 0 ? name
        : token.TryGetPayloadValue<string>("preferred_username", out var username) && username.Length > 0 ? username : null;
}
