using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Tokens;
using FuncSessions.Validation;

namespace FuncSessions.IntegrationTests.Validation;

/// <summary>samples/ProtectedApi, verifying real tokens of a real self-host through FuncSessions.Validation.</summary>
public sealed class TokenVerificationTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task WhoAmI_AnswersWithUserAndSession_ForTheBearerHeaderAndTheCookie()
    {
        // Arrange
        var (client, _, login) = await SignedInClientAsync();
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time);
        var token = client.Cookies[FuncSessionsTokenReader.AccessTokenCookie];
        using var caller = api.CreateClient();

        // Act
        caller.BearerToken = token;
        using var byBearer = await caller.GetAsync("/api/protected/whoami");
        caller.BearerToken = null;
        caller.Cookies[FuncSessionsTokenReader.AccessTokenCookie] = token;
        using var byCookie = await caller.GetAsync("/api/protected/whoami");
        caller.Cookies.Clear();
        using var anonymous = await caller.GetAsync("/api/protected/whoami");

        // Assert
        foreach (var response in new[] { byBearer, byCookie })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            Assert.Equal((string?)login["userId"], (string?)body["userId"]);
            Assert.Equal((string?)login["sessionId"], (string?)body["sessionId"]);
            Assert.Empty(body["data"]!.AsObject());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        client.Dispose();
    }

    [Fact]
    public async Task WhoAmI_RefusesAnExpiredToken_AfterThirtySecondsOfSkew()
    {
        var (client, _, login) = await SignedInClientAsync();
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time);
        var token = client.Cookies[FuncSessionsTokenReader.AccessTokenCookie];
        var expiresAt = DateTimeOffset.Parse((string)login["accessTokenExpiresAt"]!, System.Globalization.CultureInfo.InvariantCulture);

        Server.Time.SetUtcNow(expiresAt.AddSeconds(29));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(api, token));

        Server.Time.SetUtcNow(expiresAt.AddSeconds(31));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, token));
        client.Dispose();
    }

    [Fact]
    public async Task WhoAmI_RefusesWrongAudienceIssuerTypeOrAlgorithm_EvenWithTheServersOwnKey()
    {
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time);
        var serverKey = Server.Services.GetRequiredService<SigningKeyRing>().Signing;
        var now = Server.Time.GetUtcNow();
        var genuine = TestTokens.Sign(serverKey, now);

        // The same key and claims are accepted, so each refusal below is down to the one claim changed.
        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(api, genuine));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, TestTokens.Sign(serverKey, now, audience: "another-api")));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, TestTokens.Sign(serverKey, now, issuer: "https://evil.test/api")));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, TestTokens.Sign(serverKey, now, type: "JWT")));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, TestTokens.Unsigned(genuine)));
    }

    [Fact]
    public async Task WhoAmI_RefusesATamperedToken()
    {
        var (client, _, _) = await SignedInClientAsync();
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time);
        var token = client.Cookies[FuncSessionsTokenReader.AccessTokenCookie];
        var payload = TestTokens.Payload(token);
        payload["sub"] = "AAAAAAAAAAAAAAAAAAAAAA";
        var signature = token[(token.LastIndexOf('.') + 1)..];
        var flipped = token[..(token.Length - signature.Length)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(api, token));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, TestTokens.WithPayload(token, payload)));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, flipped));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, token + "x"));
        client.Dispose();
    }

    [Fact]
    public async Task WhoAmI_RefusesUnknownKids_FetchingTheKeySetAtMostOncePerInterval()
    {
        // Arrange: the first token fetches the key set.
        var (client, _, _) = await SignedInClientAsync();
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time);
        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(api, client.Cookies[FuncSessionsTokenReader.AccessTokenCookie]));
        Assert.Equal(1, api.Calls.Jwks);

        // Act + Assert: a burst of made-up kids right after the fetch causes none...
        Assert.All(await ForgedBurstAsync(api, 20), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(1, api.Calls.Jwks);

        // ...and a concurrent burst after the interval causes exactly one, shared by all of them.
        Server.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.All(await ForgedBurstAsync(api, 20), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(2, api.Calls.Jwks);
        Assert.All(await ForgedBurstAsync(api, 20), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(2, api.Calls.Jwks);
        client.Dispose();
    }

    [Fact]
    public async Task StrictMode_SeesALogoutAtOnce_WithoutACache()
    {
        var (client, _, _) = await SignedInClientAsync();
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time, new Dictionary<string, string?>
        {
            ["FuncSessions:StrictMode"] = "true",
            ["FuncSessions:StrictModeCacheDuration"] = "00:00:00",
        });
        var token = client.Cookies[FuncSessionsTokenReader.AccessTokenCookie];
        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(api, token));

        using (var logout = await client.PostAsync("/api/auth/logout"))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, token));
        Assert.Equal(2, api.Calls.Validate);
        client.Dispose();
    }

    [Fact]
    public async Task StrictMode_ReusesAnAnswerPerSession_ForTheDocumentedCacheDuration()
    {
        var (client, _, _) = await SignedInClientAsync();
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time, new Dictionary<string, string?>
        {
            ["FuncSessions:StrictMode"] = "true",
        });
        var token = client.Cookies[FuncSessionsTokenReader.AccessTokenCookie];
        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(api, token));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(api, token));
        Assert.Equal(1, api.Calls.Validate);

        using (var logout = await client.PostAsync("/api/auth/logout"))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        // The documented staleness: up to StrictModeCacheDuration (default 5 s) after the last check.
        Server.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(api, token));
        Server.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(api, token));
        Assert.Equal(2, api.Calls.Validate);
        client.Dispose();
    }

    internal static async Task<HttpStatusCode> WhoAmIStatusAsync(ProtectedApiServer api, string? token)
    {
        using var client = api.CreateClient();
        client.BearerToken = token;
        using var response = await client.GetAsync("/api/protected/whoami");
        return response.StatusCode;
    }

    private async Task<HttpStatusCode[]> ForgedBurstAsync(ProtectedApiServer api, int count)
    {
        var now = Server.Time.GetUtcNow();
        var tokens = Enumerable.Range(0, count).Select(_ => TestTokens.Sign(TestTokens.StrangerKey("kid-" + Guid.NewGuid().ToString("N")), now)).ToList();
        return await Task.WhenAll(tokens.Select(token => WhoAmIStatusAsync(api, token)));
    }
}
