using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FuncSessions.Passwords;

public enum PasswordVerification
{
    Failed,
    Succeeded,
    SucceededRehashNeeded,
}

/// <summary>
/// PBKDF2-HMAC-SHA256 (OWASP: 600,000 iterations) in a self-describing format
/// <c>$pbkdf2-sha256$i=600000$&lt;salt&gt;$&lt;hash&gt;</c>, so the cost can be raised later and old hashes upgraded at login.
/// Chosen over Argon2id because it is in the BCL (no third-party crypto) and costs the same here
/// (the same order of time per hash on the build machine, see README) without 19 MiB per concurrent login.
/// </summary>
public sealed class PasswordHasher
{
    private const string Prefix = "$pbkdf2-sha256$i=";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly PasswordOptions _options;
    private readonly Lazy<string> _dummyHash;

    public PasswordHasher(IOptions<PasswordOptions> options)
    {
        _options = options.Value;
        _dummyHash = new Lazy<string>(() => Hash("FuncSessions dummy password for unknown users"));
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, _options.Pbkdf2Iterations);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{_options.Pbkdf2Iterations}${Base64Url.EncodeToString(salt)}${Base64Url.EncodeToString(hash)}");
    }

    /// <summary>
    /// Verifies <paramref name="password"/> against <paramref name="storedHash"/>. With no stored hash (unknown user)
    /// it verifies against a dummy hash of the same cost and fails, so response time does not reveal who exists.
    /// </summary>
    public PasswordVerification Verify(string password, string? storedHash)
    {
        if (storedHash is null || !TryParse(storedHash, out var iterations, out var salt, out var expected))
        {
            TryParse(_dummyHash.Value, out iterations, out salt, out expected);
            CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), expected);
            return PasswordVerification.Failed;
        }

        if (!CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), expected))
        {
            return PasswordVerification.Failed;
        }

        return iterations < _options.Pbkdf2Iterations
            ? PasswordVerification.SucceededRehashNeeded
            : PasswordVerification.Succeeded;
    }

    // Note: NFKC so that the same password typed on different keyboards/IMEs verifies (NIST 800-63B-4 §3.1.1.2);
    // the whole normalised string is hashed — nothing is truncated.
    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC)), salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations < 1 || !Base64Url.IsValid(parts[1]) || !Base64Url.IsValid(parts[2]))
        {
            return false;
        }

        salt = Base64Url.DecodeFromChars(parts[1]);
        hash = Base64Url.DecodeFromChars(parts[2]);
        return salt.Length >= 8 && hash.Length == HashBytes;
    }
}
