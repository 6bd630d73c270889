using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using FuncSessions.Http;
using FuncSessions.Tokens;

namespace FuncSessions.Tests.Tokens;

public sealed class JsonWebKeySetTests
{
    private readonly SigningKeyRing _ring = TestKeys.Ring(TestKeys.NewKey("new"), TestKeys.NewKey("old"));

    private JsonElement SerializedKeys() =>
        JsonDocument.Parse(JsonSerializer.Serialize(JsonWebKeySet.From(_ring), FuncSessionsJsonContext.Default.JsonWebKeySet))
            .RootElement.GetProperty("keys").Clone();

    [Fact]
    public void From_PublishesEveryKeyOfTheRingInOrder()
    {
        var keys = SerializedKeys();

        Assert.Equal(["new", "old"], keys.EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
    }

    [Fact]
    public void From_WritesOnlyPublicMembers()
    {
        foreach (var key in SerializedKeys().EnumerateArray())
        {
            Assert.Equal(["alg", "crv", "kid", "kty", "use", "x", "y"], key.EnumerateObject().Select(p => p.Name).Order());
            Assert.False(key.TryGetProperty("d", out _));
        }
    }

    [Fact]
    public void From_DescribesEs256SigningKeys()
    {
        foreach (var key in SerializedKeys().EnumerateArray())
        {
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
        }
    }

    [Fact]
    public void From_PublishesCoordinatesThatVerifyTheRingsSignatures()
    {
        var data = "signed by the ring"u8.ToArray();
        var keys = SerializedKeys().EnumerateArray().ToList();

        for (var i = 0; i < keys.Count; i++)
        {
            var x = Base64Url.DecodeFromChars(keys[i].GetProperty("x").GetString());
            var y = Base64Url.DecodeFromChars(keys[i].GetProperty("y").GetString());
            Assert.Equal((32, 32), (x.Length, y.Length));
            using var published = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            var signature = _ring.Keys[i].ECDsa.SignData(data, HashAlgorithmName.SHA256);
            Assert.True(published.VerifyData(data, signature, HashAlgorithmName.SHA256));
        }
    }
}
