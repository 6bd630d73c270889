using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FuncSessions.Sessions;

namespace FuncSessions.Tests.Tokens;

/// <summary>Hand-built JWTs, so that each test can break exactly one thing the validator must check.</summary>
internal static class Jwt
{
    public static Dictionary<string, object?> Header(string? kid = "k1", string alg = "ES256", string? typ = "at+jwt")
    {
        var header = new Dictionary<string, object?> { ["alg"] = alg };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        if (typ is not null)
        {
            header["typ"] = typ;
        }

        return header;
    }

    public static Dictionary<string, object?> Payload(DateTimeOffset now, string issuer = "funcsessions", string audience = "funcsessions-api") => new()
    {
        ["sub"] = SecureIds.NewId(),
        ["sid"] = SecureIds.NewId(),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = (now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
        ["jti"] = SecureIds.NewId(),
        ["iss"] = issuer,
        ["aud"] = audience,
    };

    public static string Create(IDictionary<string, object?> header, IDictionary<string, object?> payload, Func<byte[], byte[]>? sign)
    {
        var signingInput = $"{Part(header)}.{Part(payload)}";
        var signature = sign is null ? "" : Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)));
        return $"{signingInput}.{signature}";
    }

    /// <summary>ES256 as JWS wants it: the IEEE P1363 (r‖s) form, which is .NET's default.</summary>
    public static Func<byte[], byte[]> Es256(ECDsa key) => data => key.SignData(data, HashAlgorithmName.SHA256);

    public static Func<byte[], byte[]> Hs256(byte[] key) => data => HMACSHA256.HashData(key, data);

    public static JsonElement Decode(string token, int part) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[part])).RootElement.Clone();

    public static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}
