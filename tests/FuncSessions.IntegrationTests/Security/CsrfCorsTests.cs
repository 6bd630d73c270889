using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>Case 39: cross-site requests cannot change state, and CORS answers only allowlisted origins, never "*".</summary>
public sealed class CsrfCorsTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const string AllowedOrigin = "https://app.example.com";
    private const string EvilOrigin = "https://evil.example.net";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Http:AllowedOrigins"] = AllowedOrigin + ", https://admin.example.com",
    };

    [Fact]
    public async Task Case39_NonAllowlistedOrigin_Gets403OnEveryStateChange_AndNoCorsHeaders()
    {
        var (client, username, login) = await SignedInClientAsync();
        client.Headers["Origin"] = EvilOrigin;

        var responses = new List<HttpResponseMessage>
        {
            await client.PostAsync("/api/auth/login", new { username, password = Password }),
            await client.PostAsync("/api/auth/register", new { username = NewUsername(), password = Password }),
            await client.PostAsync("/api/auth/refresh"),
            await client.PostAsync("/api/auth/logout"),
            await client.PostAsync("/api/auth/logout-all"),
            await client.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = "a brand new passphrase" }),
            await client.DeleteAsync($"/api/auth/sessions/{(string?)login["sessionId"]}"),
            await client.PatchAsync("/api/auth/session", new { theme = "dark" }),
        };

        foreach (var response in responses)
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
            response.Dispose();
        }

        client.Headers.Remove("Origin");
        using var stillSignedIn = await client.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 5006 && e.Text.Contains(EvilOrigin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Case39_CrossSiteFetchMetadata_WithoutAnAllowlistedOrigin_IsRefused()
    {
        var (client, _, _) = await SignedInClientAsync();
        client.Headers["Sec-Fetch-Site"] = "cross-site";

        using var refused = await client.PostAsync("/api/auth/logout");
        client.Headers["Origin"] = AllowedOrigin;
        using var allowed = await client.PostAsync("/api/auth/refresh");

        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Case39_TextPlainFormPost_IsRefusedBeforeAnyWork()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        client.Headers["Origin"] = EvilOrigin;

        using var crossSite = await client.PostRawAsync("/api/auth/login", $$"""{"username":"{{username}}","password":"{{Password}}"}""", "text/plain");
        client.Headers.Remove("Origin");
        using var sameSite = await client.PostRawAsync("/api/auth/login", $$"""{"username":"{{username}}","password":"{{Password}}"}""", "text/plain");

        await crossSite.AssertProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
        await sameSite.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Empty(client.Cookies);
    }

    [Fact]
    public async Task Case39_AllowlistedAndOwnOrigins_Work_WithExactCredentialedCors()
    {
        var (client, _, _) = await SignedInClientAsync();
        client.Headers["Origin"] = AllowedOrigin;

        using var refresh = await client.PostAsync("/api/auth/refresh");
        client.Headers["Origin"] = Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        using var own = await client.PostAsync("/api/auth/refresh");

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal(AllowedOrigin, Assert.Single(refresh.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(refresh.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Case39_Preflight_SucceedsForAnAllowedOrigin_AndGivesNothingToOthers()
    {
        using var client = Server.CreateClient();

        using var allowed = await PreflightAsync(client, AllowedOrigin);
        using var evil = await PreflightAsync(client, EvilOrigin);

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(AllowedOrigin, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Contains("POST", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.False(evil.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(evil.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Case39_Get_NeverChangesState()
    {
        var (client, _, _) = await SignedInClientAsync();

        // Every GET route, and GET on the state-changing routes (which only accept their own method).
        foreach (var path in new[] { "/api/auth/validate", "/api/auth/sessions", "/api/auth/jwks", "/api/auth/logout", "/api/auth/logout-all", "/api/auth/refresh" })
        {
            (await client.GetAsync(path)).Dispose();
        }

        using var sessions = await client.GetAsync("/api/auth/sessions");
        using var refresh = await client.PostAsync("/api/auth/refresh");
        Assert.Single((await sessions.JsonAsync())["sessions"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    private static Task<HttpResponseMessage> PreflightAsync(ApiClient client, string origin)
    {
        client.Headers["Origin"] = origin;
        client.Headers["Access-Control-Request-Method"] = "POST";
        client.Headers["Access-Control-Request-Headers"] = "content-type";
        return client.SendAsync(HttpMethod.Options, "/api/auth/login", null);
    }
}
