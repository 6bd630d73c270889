using System.Net;
using System.Text.Json.Nodes;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Tokens;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>
/// Case 12: signing-key rotation as an operator does it — the same tables served first with [old], then with
/// [new, old] (new signs, old still verifies), then with [new] only.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class KeyRotationCases(AzuriteFixture fixture)
{
    private static readonly string[] PublicMembers = ["alg", "crv", "kid", "kty", "use", "x", "y"];

    [Fact]
    public async Task Case12_KeyRotation_OldKeyVerifiesWhileListed_RefusedOnceRetired_JwksPublicMembersOnly()
    {
        var oldKey = new SigningKeyOptions { KeyId = "key-2026-01", PrivateKey = SigningKeyRing.NewPrivateKey() };
        var newKey = new SigningKeyOptions { KeyId = "key-2026-02", PrivateKey = SigningKeyRing.NewPrivateKey() };
        var tablePrefix = "T" + Guid.NewGuid().ToString("N")[..12];

        string oldAccessToken;
        string oldRefreshToken;
        await using (var before = await StartAsync(tablePrefix, oldKey))
        {
            using var client = before.CreateClient();
            using var register = await client.PostAsync("/api/auth/register", new { username = "rotation-user", password = "correct horse battery staple" });
            Assert.True(register.IsSuccessStatusCode);
            using var login = await client.PostAsync("/api/auth/login", new { username = "rotation-user", password = "correct horse battery staple" });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            oldAccessToken = client.Cookies[TokenDelivery.AccessTokenCookie];
            oldRefreshToken = client.Cookies[TokenDelivery.RefreshTokenCookie];
            Assert.Equal(oldKey.KeyId, KeyIdOf(oldAccessToken));
        }

        string newAccessToken;
        await using (var during = await StartAsync(tablePrefix, newKey, oldKey))
        {
            Assert.Equal(HttpStatusCode.OK, await ValidateAsync(during, oldAccessToken));
            using var client = during.CreateClient();
            using var login = await client.PostAsync("/api/auth/login", new { username = "rotation-user", password = "correct horse battery staple" });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            newAccessToken = client.Cookies[TokenDelivery.AccessTokenCookie];
            Assert.Equal(newKey.KeyId, KeyIdOf(newAccessToken));

            var keys = await JwksAsync(during);
            Assert.Equal([newKey.KeyId, oldKey.KeyId], keys.Select(k => (string)k!["kid"]!));
            Assert.All(keys, key =>
            {
                Assert.Equal(PublicMembers, key!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
                Assert.Equal("ES256", (string?)key["alg"]);
                Assert.Equal("sig", (string?)key["use"]);
                Assert.Equal("EC", (string?)key["kty"]);
                Assert.Equal("P-256", (string?)key["crv"]);
            });
        }

        await using var after = await StartAsync(tablePrefix, newKey);
        Assert.Equal(HttpStatusCode.Unauthorized, await ValidateAsync(after, oldAccessToken));
        Assert.Equal(HttpStatusCode.OK, await ValidateAsync(after, newAccessToken));
        Assert.Equal([newKey.KeyId], (await JwksAsync(after)).Select(k => (string)k!["kid"]!));

        // Note: refresh tokens are not signed, so a client holding a retired-key access token just refreshes.
        using var holder = after.CreateClient();
        holder.Cookies[TokenDelivery.RefreshTokenCookie] = oldRefreshToken;
        using var refresh = await holder.PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal(newKey.KeyId, KeyIdOf(holder.Cookies[TokenDelivery.AccessTokenCookie]));
    }

    private Task<SelfHostServer> StartAsync(string tablePrefix, params SigningKeyOptions[] keys)
    {
        var settings = new Dictionary<string, string?> { ["FuncSessions:Storage:TablePrefix"] = tablePrefix };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"FuncSessions:Tokens:SigningKeys:{i}:KeyId"] = keys[i].KeyId;
            settings[$"FuncSessions:Tokens:SigningKeys:{i}:PrivateKey"] = keys[i].PrivateKey;
        }

        return SelfHostServer.StartAsync(fixture.Azurite, settings);
    }

    private static async Task<HttpStatusCode> ValidateAsync(SelfHostServer server, string accessToken)
    {
        using var client = server.CreateClient();
        client.BearerToken = accessToken;
        using var response = await client.GetAsync("/api/auth/validate");
        return response.StatusCode;
    }

    private static async Task<JsonArray> JwksAsync(SelfHostServer server)
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/api/auth/jwks");
        return (await response.JsonAsync())["keys"]!.AsArray();
    }

    private static string KeyIdOf(string jwt) =>
        (string)JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[0]))!["kid"]!;
}
