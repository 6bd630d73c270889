using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FuncSessions.Sessions;

/// <summary>Random identifiers and secrets, and the hashes that stand in for them at rest and in logs.</summary>
public static class SecureIds
{
    /// <summary>128 bits from the CSPRNG (ASVS 5.0 7.2.3), base64url: user and session ids.</summary>
    public static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>256 bits from the CSPRNG: refresh-token secrets.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(32);

    /// <summary>SHA-256, base64url: what is stored instead of a token.</summary>
    public static string Hash(string value) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Equality in time independent of where the values differ: hashes, and random values such as OAuth state.</summary>
    public static bool ConstantTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    public static bool IsWellFormedId(string? value) =>
        value is { Length: 22 } && Base64Url.IsValid(value, out var length) && length == 16;
}
