using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Passwords;

/// <summary>Password policy and hashing cost. Bound from <c>FuncSessions:Passwords</c>.</summary>
public sealed class PasswordOptions
{
    public const string SectionName = "FuncSessions:Passwords";

    /// <summary>Minimum length in Unicode code points after NFKC. Default 15 (NIST 800-63B-4, password-only).</summary>
    [Range(8, 64)]
    public int MinLength { get; set; } = 15;

    /// <summary>Maximum length in code points; bounds hashing cost. Default 1024 (NIST asks for at least 64).</summary>
    [Range(64, 4096)]
    public int MaxLength { get; set; } = 1024;

    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for new hashes. Default and floor 600,000 (OWASP Password Storage cheat
    /// sheet). Stored hashes with fewer iterations are re-hashed at the next successful login.
    /// </summary>
    [Range(600_000, 10_000_000)]
    public int Pbkdf2Iterations { get; set; } = 600_000;

    /// <summary>
    /// The service's name as users know it: a password containing it is refused (NIST 800-63B-4 context words), as is
    /// one containing the username. Default "FuncSessions"; set it to your product's name.
    /// </summary>
    [Required, StringLength(64, MinimumLength = 1)]
    public string ServiceName { get; set; } = "FuncSessions";
}
