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
    /// The algorithm new hashes are made with: <see cref="PasswordHashAlgorithm.Argon2id"/> (default) or
    /// <see cref="PasswordHashAlgorithm.Pbkdf2"/> (FIPS-approved, ten times the CPU per login). Hashes of the other
    /// algorithm keep verifying and are re-hashed with this one at the next successful login.
    /// </summary>
    [EnumDataType(typeof(PasswordHashAlgorithm), ErrorMessage = "FuncSessions:Passwords:Algorithm must be Argon2id or Pbkdf2.")]
    public PasswordHashAlgorithm Algorithm { get; set; } = PasswordHashAlgorithm.Argon2id;

    /// <summary>
    /// Argon2id memory per hash in KiB. Default and floor 19,456 (19 MiB, OWASP's minimum with t = 2): the cheapest
    /// setting at or above that minimum in both CPU and memory measured here (README, Passwords). Every concurrent hash
    /// holds this much memory, see <see cref="MaxConcurrentHashes"/>.
    /// </summary>
    [Range(19_456, 1_048_576, ErrorMessage = "FuncSessions:Passwords:Argon2idMemoryKiB must be between {1} (OWASP's minimum) and {2} KiB.")]
    public int Argon2idMemoryKiB { get; set; } = 19_456;

    /// <summary>Argon2id passes over the memory (t). Default and floor 2 (OWASP's minimum at 19 MiB).</summary>
    [Range(2, 16, ErrorMessage = "FuncSessions:Passwords:Argon2idIterations must be between {1} (OWASP's minimum at 19 MiB) and {2}.")]
    public int Argon2idIterations { get; set; } = 2;

    /// <summary>
    /// Password hashes (and verifications) computed at once by this instance; further ones wait. Bounds the memory a
    /// burst of logins can take: 8 × 19 MiB = 152 MiB of a 2,048 MB Flex Consumption instance. Default 8.
    /// </summary>
    [Range(1, 1024, ErrorMessage = "FuncSessions:Passwords:MaxConcurrentHashes must be between {1} and {2}.")]
    public int MaxConcurrentHashes { get; set; } = 8;

    /// <summary>
    /// How long a request waits for a hashing slot before it gets 503 <c>server_busy</c> with <c>Retry-After</c>.
    /// Default 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "FuncSessions:Passwords:HashQueueTimeout must be between {1} and {2}.")]
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for new hashes. Default and floor 600,000 (OWASP Password Storage cheat
    /// sheet). Used when <see cref="Algorithm"/> is Pbkdf2; stored hashes with fewer iterations are re-hashed at the next
    /// successful login.
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
