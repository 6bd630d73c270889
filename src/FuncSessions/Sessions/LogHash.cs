using System.Security.Cryptography;
using System.Text;
using FuncSessions.Tokens;

namespace FuncSessions.Sessions;

/// <summary>
/// What logs carry instead of a session or user id (OWASP Session Management cheat sheet: a salted hash): a truncated
/// HMAC-SHA256 under a key derived (HKDF) from the signing key, so nobody without that key can tell which id a log line
/// is about, even one who knows the id, while the same id always logs the same way and a session's events correlate.
/// The key changes with the signing key (a rotation starts new hashes).
/// </summary>
public sealed class LogHash
{
    private readonly byte[] _key;

    public LogHash(SigningKeyRing keys)
    {
        var privateKey = keys.Keys[0].ECDsa.ExportParameters(includePrivateParameters: true).D!;
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, privateKey, 32, salt: [], info: "FuncSessions log hash v2"u8.ToArray());
        CryptographicOperations.ZeroMemory(privateKey);
    }

    public string Of(string id) => Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(id)), 0, 8).ToLowerInvariant();
}
