using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace FuncSessions.IntegrationTests.External;

/// <summary>Sign-in through a real OpenID Provider over HTTP: the redirects, its login form, and a normal session out.</summary>
public sealed class ExternalSignInTests(AzuriteFixture fixture, OidcProvider provider) : ExternalSignInTest(fixture, provider)
{
    [Fact]
    public async Task Start_RedirectsWithCodeFlowPkceS256StateAndNonce_AndASealedHostCookie()
    {
        using var api = Server.CreateClient();

        using var start = await api.GetAsync(StartPath());

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var location = start.Headers.Location!;
        Assert.StartsWith(Provider.Issuer.AbsoluteUri, location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("funcsessions", query["client_id"]);
        Assert.Equal($"{OidcProvider.ApiBase}/auth/oauth/local/callback", query["redirect_uri"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.True(query["state"].ToString().Length >= 32);
        Assert.True(query["nonce"].ToString().Length >= 32);
        Assert.Contains("openid", query["scope"].ToString(), StringComparison.Ordinal);
        var cookie = Assert.Single(api.LastSetCookies);
        Assert.StartsWith("__Host-fs-oauth=", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        // Note: nothing of the transaction is readable in the cookie (sealed), and the verifier never leaves it.
        Assert.DoesNotContain(query["state"].ToString(), cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstSignIn_CreatesAnAccount_WhoseSessionValidatesListsRefreshesAndRevokes()
    {
        using var api = Server.CreateClient();
        var login = NewLogin();

        var callback = await AtProviderAsync(await StartAsync(api), login);
        var back = await CallbackAsync(api, callback);

        Assert.Equal(ReturnTo, back.AbsoluteUri);
        AssertOwnLogsOmit(QueryHelpers.ParseQuery(callback.Query)["code"].ToString());
        Assert.Contains(TokenCookie, api.Cookies.Keys);
        Assert.DoesNotContain("__Host-fs-oauth", api.Cookies.Keys);
        var session = await ValidateAsync(api);
        Assert.Equal(login, (string?)session["username"]);
        Assert.Equal(["fed"], session["amr"]!.AsArray().Select(a => (string?)a));
        using (var list = await api.GetAsync("/api/auth/sessions"))
        {
            Assert.Single((await list.JsonAsync())["sessions"]!.AsArray());
        }

        using (var refresh = await api.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        using (var revoke = await api.DeleteAsync($"/api/auth/sessions/{(string?)session["sessionId"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var after = await api.GetAsync("/api/auth/validate");
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task SecondSignIn_FindsTheSameAccount_InANewSession()
    {
        using var first = Server.CreateClient();
        using var second = Server.CreateClient();
        var login = NewLogin();
        await SignInAsync(first, login);
        var one = await ValidateAsync(first);

        await SignInAsync(second, login);
        var two = await ValidateAsync(second);

        Assert.Equal((string?)one["userId"], (string?)two["userId"]);
        Assert.NotEqual((string?)one["sessionId"], (string?)two["sessionId"]);
    }

    [Fact]
    public async Task AnExternalAccount_CannotLogInWithAPassword()
    {
        using var api = Server.CreateClient();
        var login = NewLogin();
        await SignInAsync(api, login);

        using var response = await api.PostAsync("/api/auth/login", new { username = login, password = Password });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Providers_AreListedForTheSignInButtons()
    {
        using var api = Server.CreateClient();

        using var response = await api.GetAsync("/api/auth/oauth/providers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var providers = (await response.JsonAsync())["providers"]!.AsArray();
        Assert.Equal(["local", "other-audience", "stale-key"], providers.Select(p => (string?)p!["name"]));
        Assert.Equal("/api/auth/oauth/local/start", (string?)providers[0]!["startUrl"]);
    }

    private const string TokenCookie = "__Host-fs-at";
}
