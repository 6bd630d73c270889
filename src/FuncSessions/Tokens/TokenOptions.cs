using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Tokens;

/// <summary>Access-token (JWT) settings. Bound from <c>FuncSessions:Tokens</c>.</summary>
public sealed class TokenOptions
{
    public const string SectionName = "FuncSessions:Tokens";

    /// <summary>The <c>iss</c> claim written and required. Set it to the API's public base URL in production.</summary>
    [Required, MaxLength(256)]
    public string Issuer { get; set; } = "funcsessions";

    /// <summary>The <c>aud</c> claim written and required: the APIs that accept these tokens.</summary>
    [Required, MaxLength(256)]
    public string Audience { get; set; } = "funcsessions-api";

    /// <summary>Access-token lifetime. Default 10 minutes: the longest an offline verifier can accept a revoked session.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// ES256 (P-256) signing keys. The first one signs; all of them verify, so a rotated-out key keeps
    /// verifying tokens it signed until it is removed (keep it at least one access-token lifetime).
    /// </summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    /// <summary>
    /// Local development only: when no signing key is configured, a key is generated on first start and kept in this
    /// file so restarts keep sessions valid. Leave empty in production, where a missing key stops start-up.
    /// </summary>
    public string? DevelopmentKeyFile { get; set; }
}

/// <summary>One ES256 signing key.</summary>
public sealed class SigningKeyOptions
{
    /// <summary>The <c>kid</c> published in the JWKS and written in token headers.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string KeyId { get; set; } = "";

    /// <summary>The P-256 private key: PKCS#8 as PEM, or as base64 DER (one line, fits a Key Vault secret).</summary>
    [Required]
    public string PrivateKey { get; set; } = "";
}
