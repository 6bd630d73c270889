using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests;

/// <summary>Register, login, validate, refresh and logout in the default cookie mode.</summary>
public sealed class SessionLifecycleTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Register_CreatesAccount_AndKeepsTheFirstOwnerOfANameInAnotherCase()
    {
        using var client = Server.CreateClient();
        var username = NewUsername();

        using var created = await client.PostAsync("/api/auth/register", new { username, password = Password });
        using var duplicate = await client.PostAsync("/api/auth/register", new { username = username.ToUpperInvariant(), password = "another long passphrase" });

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, duplicate.StatusCode);
        Assert.Equal("", await created.Content.ReadAsStringAsync());
        var login = await LoginAsync(client, username.ToUpperInvariant());
        Assert.Equal(username, (string?)login["username"]);
        using var second = await client.PostAsync("/api/auth/login", new { username, password = "another long passphrase" });
        await second.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Login_SetsHostPrefixedHttpOnlyCookies_AndPutsNoTokenInTheBody()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);

        using var response = await client.PostAsync("/api/auth/login", new { username = username.ToUpperInvariant(), password = Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(3, client.LastSetCookies.Count);
        foreach (var cookie in client.LastSetCookies)
        {
            Assert.StartsWith("__Host-fs-", cookie, StringComparison.Ordinal);
            var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
            Assert.Contains("secure", attributes);
            // Note: the presence hint (no secret) is the one cookie script may read.
            Assert.Equal(!cookie.StartsWith(TokenDelivery.PresenceCookie + "=", StringComparison.Ordinal), attributes.Contains("httponly"));
            Assert.Contains("samesite=lax", attributes);
            Assert.Contains("path=/", attributes);
            Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
            Assert.True(cookie.Split(';')[0].Length < 4096);
        }

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(client.Cookies[TokenDelivery.AccessTokenCookie], body, StringComparison.Ordinal);
        Assert.DoesNotContain(client.Cookies[TokenDelivery.RefreshTokenCookie], body, StringComparison.Ordinal);
        Assert.DoesNotContain("accessToken\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownUser_GetTheSameAnswer()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);

        using var wrongPassword = await client.PostAsync("/api/auth/login", new { username, password = Password + "!" });
        using var unknownUser = await client.PostAsync("/api/auth/login", new { username = NewUsername(), password = Password });

        await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await unknownUser.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(await wrongPassword.Content.ReadAsStringAsync(), await unknownUser.Content.ReadAsStringAsync());
        Assert.Empty(client.Cookies);
    }

    [Fact]
    public async Task Login_IssuesANewSessionEveryTime_EvenWhenTheClientSendsOne()
    {
        var (client, username, first) = await SignedInClientAsync();
        using var _ = client;

        var second = await LoginAsync(client, username);

        Assert.NotEqual((string?)first["sessionId"], (string?)second["sessionId"]);
        using var list = await client.GetAsync("/api/auth/sessions");
        Assert.Equal(2, (await list.JsonAsync())["sessions"]!.AsArray().Count);
    }

    [Fact]
    public async Task Validate_ReturnsTheSession_WhenTheAccessTokenAndRowAreLive()
    {
        var (client, username, login) = await SignedInClientAsync();
        using var _ = client;

        using var response = await client.GetAsync("/api/auth/validate");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((string?)login["userId"], (string?)body["userId"]);
        Assert.Equal(username, (string?)body["username"]);
        Assert.Equal((string?)login["sessionId"], (string?)body["sessionId"]);
        Assert.Equal(Server.Time.GetUtcNow().AddDays(7), (DateTimeOffset)body["expiresAt"]!);
        Assert.Equal(Server.Time.GetUtcNow().AddDays(30), (DateTimeOffset)body["absoluteExpiresAt"]!);
    }

    [Fact]
    public async Task SessionAnswers_ComeInOnePiece_WithTheirLength_NotChunked()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;

        using var validate = await client.GetAsync("/api/auth/validate");
        using var refresh = await client.PostAsync("/api/auth/refresh");

        foreach (var response in new[] { validate, refresh })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            Assert.Equal((await response.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task Validate_Returns401_WithoutOrWithAGarbageToken()
    {
        using var client = Server.CreateClient();

        using var none = await client.GetAsync("/api/auth/validate");
        client.Cookies[TokenDelivery.AccessTokenCookie] = "not-a-jwt";
        using var garbage = await client.GetAsync("/api/auth/validate");
        client.Cookies[TokenDelivery.AccessTokenCookie] = new string('a', 5000);
        using var huge = await client.GetAsync("/api/auth/validate");

        await none.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        await garbage.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        await huge.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Refresh_WithTheParentInsideTheGraceWindow_ReturnsTheSameSuccessor()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;
        var parent = client.Cookies[TokenDelivery.RefreshTokenCookie];
        using (var first = await client.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var successor = client.Cookies[TokenDelivery.RefreshTokenCookie];
        Server.Time.Advance(TimeSpan.FromSeconds(5));
        using var slowTab = Server.CreateClient();
        slowTab.Cookies[TokenDelivery.RefreshTokenCookie] = parent;
        using var late = await slowTab.PostAsync("/api/auth/refresh");

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal(successor, slowTab.Cookies[TokenDelivery.RefreshTokenCookie]);
        using var next = await client.PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Logout_WithAnExpiredAccessToken_UsesTheRefreshTokenToEndTheSession()
    {
        var (client, _, login) = await SignedInClientAsync();
        using var _ = client;

        Server.Time.Advance(TimeSpan.FromHours(1));
        using var logout = await client.PostAsync("/api/auth/logout");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var store = Server.Services.GetRequiredService<FuncSessions.Sessions.ISessionStore>();
        Assert.Null(await store.FindAsync((string)login["userId"]!, (string)login["sessionId"]!, CancellationToken.None));
    }

    [Fact]
    public async Task Jwks_PublishesOnlyPublicMembers_AndVerifiesIssuedTokens()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;

        using var response = await client.GetAsync("/api/auth/jwks");

        var json = await response.Content.ReadAsStringAsync();
        var keySet = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(json);
        var key = Assert.Single(keySet.Keys);
        Assert.Equal("EC", key.Kty);
        Assert.Equal("ES256", key.Alg);
        Assert.Equal("sig", key.Use);
        Assert.False(key.HasPrivateKey);
        Assert.DoesNotContain("\"d\"", json, StringComparison.Ordinal);

        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var result = await handler.ValidateTokenAsync(client.Cookies[TokenDelivery.AccessTokenCookie], new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            IssuerSigningKeys = keySet.Keys,
            ValidIssuer = "https://funcsessions.test/api",
            ValidAudience = "funcsessions-api",
            ValidTypes = ["at+jwt"],
            ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(key.Kid, ((Microsoft.IdentityModel.JsonWebTokens.JsonWebToken)result.SecurityToken).Kid);
    }

    [Fact]
    public async Task Register_IsRefused_WhenRegistrationIsSwitchedOff()
    {
        await using var closed = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["FuncSessions:Users:AllowRegistration"] = "false",
        });
        using var client = closed.CreateClient();

        using var response = await client.PostAsync("/api/auth/register", new { username = NewUsername(), password = Password });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "registration_disabled");
    }
}
