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
    /// file so restarts keep sessions valid. A relative path is relative to <see cref="DefaultDevelopmentKeyFolder"/>,
    /// never to the working directory. Leave empty in production, where a missing key stops start-up.
    /// </summary>
    public string? DevelopmentKeyFile { get; set; }

    /// <summary>
    /// The per-user folder (as for dev certificates) that a relative <see cref="DevelopmentKeyFile"/> is in:
    /// <c>~/.local/share/FuncSessions</c> on Linux, <c>%LOCALAPPDATA%\FuncSessions</c> on Windows.
    /// </summary>
    // Note: not the working directory: `func start` runs from the build output, so the self-host and the Functions host
    // would each make their own key and refuse each other's tokens.
    public static string DefaultDevelopmentKeyFolder() =>
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } data
            ? Path.Combine(data, "FuncSessions")
            : throw new InvalidOperationException(
                "No per-user data folder (HOME or LOCALAPPDATA is unset): set FuncSessions:Tokens:DevelopmentKeyFile to an absolute path.");
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
