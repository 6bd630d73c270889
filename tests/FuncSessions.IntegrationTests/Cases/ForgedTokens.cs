using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FuncSessions.Tokens;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>
/// Hand-built JWTs for the attack cases: each starts from a token the server accepts (signed with the running
/// server's own key, for a live session) and breaks exactly one thing.
/// </summary>
internal sealed class ForgedTokens(SigningKeyRing ring, string issuer, string audience, string userId, string sessionId)
{
    private readonly Microsoft.IdentityModel.Tokens.ECDsaSecurityKey _key = ring.Keys[0];

    public string KeyId => _key.KeyId;

    public Dictionary<string, object?> Header() => new() { ["alg"] = "ES256", ["kid"] = KeyId, ["typ"] = "at+jwt" };

    public Dictionary<string, object?> Payload(DateTimeOffset now) => new()
    {
        ["iss"] = issuer,
        ["aud"] = audience,
        ["sub"] = userId,
        ["sid"] = sessionId,
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = (now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
    };

    /// <summary>Signed with the server's real signing key.</summary>
    public string Sign(IDictionary<string, object?> header, IDictionary<string, object?> payload) =>
        Create(header, payload, data => _key.ECDsa.SignData(data, HashAlgorithmName.SHA256));

    /// <summary>The public key bytes an attacker can read from the JWKS (uncompressed point, SubjectPublicKeyInfo).</summary>
    public byte[] PublicKeyBytes() => _key.ECDsa.ExportSubjectPublicKeyInfo();

    public static string Create(IDictionary<string, object?> header, IDictionary<string, object?> payload, Func<byte[], byte[]>? sign)
    {
        var signingInput = $"{Part(header)}.{Part(payload)}";
        var signature = sign is null ? "" : Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)));
        return $"{signingInput}.{signature}";
    }

    public static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}
