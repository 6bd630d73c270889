using System.ComponentModel.DataAnnotations;

namespace FuncSessions.SecondFactors;

/// <summary>Second factors (TOTP, recovery codes) and ceremony state. Bound from <c>FuncSessions:Factors</c>.</summary>
public sealed class FactorOptions
{
    public const string SectionName = "FuncSessions:Factors";

    public const string EncryptionKeySetting = SectionName + ":EncryptionKey";

    /// <summary>
    /// 32 random bytes, base64 (a Key Vault secret in Azure; never the signing key). Encrypts TOTP secrets at rest and
    /// seals the short-lived ceremony state (second-factor logins, passkey challenges). Empty: TOTP and passkeys are off
    /// and their endpoints answer 403 <c>factors_not_configured</c>.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>The issuer shown in authenticator apps (the <c>otpauth://</c> label and <c>issuer</c> parameter).</summary>
    [Required, MaxLength(64)]
    public string TotpIssuer { get; set; } = "FuncSessions";

    /// <summary>How long a "second factor required" state (and a passkey challenge) stays usable. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:15:00")]
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsConfigured => !string.IsNullOrEmpty(EncryptionKey);

    /// <summary>Whether <paramref name="key"/> is absent or 32 bytes of base64.</summary>
    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return true;
        }

        var bytes = new byte[64];
        return Convert.TryFromBase64String(key, bytes, out var length) && length == 32;
    }
}
