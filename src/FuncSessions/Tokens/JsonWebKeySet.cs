using System.Buffers.Text;
using System.Text.Json.Serialization;

namespace FuncSessions.Tokens;

/// <summary>RFC 7517 key set with public members only.</summary>
public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys)
{
    public static JsonWebKeySet From(SigningKeyRing ring) => new(ring.Keys.Select(key =>
    {
        var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
        return new PublicJsonWebKey("EC", "P-256", Base64Url.EncodeToString(parameters.Q.X), Base64Url.EncodeToString(parameters.Q.Y), key.KeyId, "ES256", "sig");
    }).ToList());
}

public sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("use")] string Use);
