using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncSessions.IntegrationTests.Validation;

/// <summary>Tokens a verifier must refuse, signed with real keys (the server's own, or a stranger's).</summary>
internal static class TestTokens
{
    public const string Issuer = "https://funcsessions.test/api";
    public const string Audience = "funcsessions-api";

    public static string Sign(
        SigningCredentials credentials, DateTimeOffset now, string issuer = Issuer, string audience = Audience, string type = "at+jwt")
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(10).UtcDateTime,
            TokenType = type,
            SigningCredentials = credentials,
            Subject = new ClaimsIdentity([new Claim("sub", "AAAAAAAAAAAAAAAAAAAAAA"), new Claim("sid", "BBBBBBBBBBBBBBBBBBBBBB")]),
        });
    }

    /// <summary>A P-256 key nobody published, under <paramref name="kid"/>.</summary>
    public static SigningCredentials StrangerKey(string kid) =>
        new(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256);

    public static JsonObject Header(string token) => Decode(token.Split('.')[0]);

    public static JsonObject Payload(string token) => Decode(token.Split('.')[1]);

    /// <summary>The token with its payload replaced and its signature kept.</summary>
    public static string WithPayload(string token, JsonObject payload)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with the payload of <paramref name="token"/>.</summary>
    public static string Unsigned(string token)
    {
        var header = Header(token);
        header["alg"] = "none";
        return $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{token.Split('.')[1]}.";
    }

    private static JsonObject Decode(string part) => JsonNode.Parse(Base64Url.DecodeFromChars(part))!.AsObject();
}
