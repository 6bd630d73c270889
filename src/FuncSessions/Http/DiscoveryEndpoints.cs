using System.Text.Json.Serialization;
using FuncSessions.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// OpenID Connect discovery (<c>{issuer}/.well-known/openid-configuration</c>) for an issuer of access tokens only, so
/// stock verifiers (ASP.NET Core's JwtBearer with <c>Authority</c>, API Management's <c>validate-jwt</c> with
/// <c>openid-config</c>) find the issuer and the keys by themselves.
/// </summary>
public sealed class DiscoveryEndpoints(IOptions<TokenOptions> options)
{
    public Task<IResult> OpenIdConfigurationAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        // Note: as long as the JWKS: both change only with configuration, and verifiers re-read them on an unknown kid.
        context.Response.Headers.CacheControl = "public, max-age=300";
        var issuer = options.Value.Issuer;
        // Note: an issuer that is no URL (the default "funcsessions") cannot be discovered by its name, so the keys are
        // named from the request; with a URL issuer everything hangs off the issuer, as OpenID Connect Discovery §4.3 wants.
        var apiBase = IssuerUrl.TryParse(issuer, out var url)
            ? url.AbsoluteUri.TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/{AuthRoutes.Prefix}";
        return Task.FromResult<IResult>(TypedResults.Json(
            new OpenIdConfiguration(
                issuer,
                $"{apiBase}/{AuthRoutes.Jwks}",
                ResponseTypesSupported: [],
                SubjectTypesSupported: ["public"],
                IdTokenSigningAlgValuesSupported: ["ES256"],
                ClaimsSupported: ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid"]),
            FuncSessionsJsonContext.Default.OpenIdConfiguration));
    }
}

/// <summary>
/// The discovery document. Only the members that apply to an issuer without an authorization or token endpoint (it
/// signs access tokens after its own login): the REQUIRED ones of OpenID Connect Discovery 1.0 §3, and the claims.
/// </summary>
/// <param name="ResponseTypesSupported">REQUIRED by the specification but empty: there is no authorization endpoint.</param>
/// <param name="IdTokenSigningAlgValuesSupported">REQUIRED; no ID tokens are issued, so this names the one algorithm the issuer signs with.</param>
public sealed record OpenIdConfiguration(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypesSupported,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    [property: JsonPropertyName("claims_supported")] IReadOnlyList<string> ClaimsSupported);

/// <summary>
/// Where an issuer URL's discovery document is served. Both hosts serve it at <c>/api/.well-known/openid-configuration</c>
/// (a Functions route is a compile-time constant under the <c>api</c> prefix), so an issuer URL must end in <c>/api</c>:
/// <c>https://host/api</c> directly, or <c>https://gateway/auth/api</c> behind a proxy that strips <c>/auth</c>.
/// </summary>
public static class IssuerUrl
{
    /// <summary>True when <paramref name="issuer"/> is an absolute http(s) URL (then it must be <see cref="IsServable"/>).</summary>
    public static bool TryParse(string? issuer, out Uri url) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    /// <summary>A plain name (no discovery by name, but tokens still verify), or an http(s) URL whose path ends in <c>/api</c>.</summary>
    public static bool IsServable(string? issuer) =>
        !TryParse(issuer, out var url)
        || (url.Query.Length == 0 && url.Fragment.Length == 0 && url.AbsolutePath.TrimEnd('/').EndsWith("/" + AuthRoutes.Prefix, StringComparison.Ordinal));
}
