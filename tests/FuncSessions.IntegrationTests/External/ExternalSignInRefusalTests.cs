using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace FuncSessions.IntegrationTests.External;

/// <summary>
/// Every way a sign-in can go wrong ends on the site with <c>?error={code}</c> (or, for a bad returnTo, a problem
/// answer), and changes nothing: no session cookie, no account.
/// </summary>
public sealed class ExternalSignInRefusalTests(AzuriteFixture fixture, OidcProvider provider) : ExternalSignInTest(fixture, provider)
{
    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("https://app.example.test.evil.example/")]
    [InlineData("http://app.example.test/")]
    [InlineData("//evil.example/")]
    [InlineData("/relative")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://user@app.example.test/")]
    [InlineData("https://app.example.test/#fragment")]
    public async Task ReturnToOffTheAllowlist_IsRefusedWithoutARedirect(string returnTo)
    {
        using var api = Server.CreateClient();

        using var response = await api.GetAsync(StartPath(returnTo: returnTo));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_return_to");
        Assert.Null(response.Headers.Location);
        Assert.Empty(api.Cookies);
    }

    [Fact]
    public async Task UnknownProvider_Is404()
    {
        using var api = Server.CreateClient();

        using var response = await api.GetAsync(StartPath(provider: "nope"));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "unknown_provider");
    }

    [Fact]
    public async Task WrongState_IsRefused()
    {
        using var api = Server.CreateClient();
        var callback = await AtProviderAsync(await StartAsync(api), NewLogin());

        var back = await CallbackAsync(api, WithQuery(callback, "state", "forged-state-value-that-is-long-enough"));

        AssertRefused(api, back, "invalid_state");
    }

    [Fact]
    public async Task MissingTransactionCookie_IsRefused_AtTheFirstOriginsRoot()
    {
        using var api = Server.CreateClient();
        var callback = await AtProviderAsync(await StartAsync(api), NewLogin());
        api.Cookies.Remove("__Host-fs-oauth");

        var back = await CallbackAsync(api, callback);

        Assert.Equal("https://app.example.test/?error=invalid_state", back.AbsoluteUri);
        Assert.DoesNotContain("__Host-fs-at", api.Cookies.Keys);
    }

    [Fact]
    public async Task ReplayedCallback_IsRefused_AndTheFirstSessionStands()
    {
        using var api = Server.CreateClient();
        var callback = await AtProviderAsync(await StartAsync(api), NewLogin());
        var cookie = api.Cookies["__Host-fs-oauth"];
        Assert.Null(ErrorOf(await CallbackAsync(api, callback)));
        var session = await ValidateAsync(api);

        using var replayer = Server.CreateClient();
        replayer.Cookies["__Host-fs-oauth"] = cookie;
        var back = await CallbackAsync(replayer, callback);

        AssertRefused(replayer, back, "invalid_state");
        Assert.Equal((string?)session["sessionId"], (string?)(await ValidateAsync(api))["sessionId"]);
    }

    [Fact]
    public async Task ReplayedCode_WithAFreshTransaction_IsRefusedByTheProvider()
    {
        using var api = Server.CreateClient();
        var first = await AtProviderAsync(await StartAsync(api), NewLogin());
        Assert.Null(ErrorOf(await CallbackAsync(api, first)));
        using var attacker = Server.CreateClient();
        var fresh = await StartAsync(attacker);
        var state = QueryHelpers.ParseQuery(fresh.Query)["state"].ToString();

        // Note: the used code under the new transaction's state: state and cookie match, the code (and its PKCE binding) does not.
        var back = await CallbackAsync(attacker, WithQuery(first, "state", state));

        AssertRefused(attacker, back, "token_exchange_failed");
    }

    [Fact]
    public async Task IdTokenForAnotherAudience_IsRefused()
    {
        using var api = Server.CreateClient();

        var back = await SignInAsync(api, NewLogin(), provider: "other-audience");

        AssertRefused(api, back, "invalid_id_token");
    }

    [Fact]
    public async Task ExpiredIdToken_IsRefused()
    {
        using var api = Server.CreateClient();
        var callback = await AtProviderAsync(await StartAsync(api), NewLogin());
        // Note: the provider's ID tokens live five minutes; past that and the 30 s skew, the transaction (15 min) still lives.
        Server.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(45));

        var back = await CallbackAsync(api, callback);

        AssertRefused(api, back, "invalid_id_token");
        Assert.Contains(Server.Logs.Entries, e => e.Text.Contains("invalid_id_token (expired)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NonceMismatch_IsRefused()
    {
        using var api = Server.CreateClient();
        var authorization = await StartAsync(api);

        // Note: the provider echoes whatever nonce it was sent; the transaction expects its own.
        var callback = await AtProviderAsync(WithQuery(authorization, "nonce", "another-nonce-entirely-0123456789"), NewLogin());
        var back = await CallbackAsync(api, callback);

        AssertRefused(api, back, "invalid_id_token");
        Assert.Contains(Server.Logs.Entries, e => e.Text.Contains("invalid_id_token (nonce)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccessDenied_AtTheProvider_EndsOnTheSite()
    {
        using var api = Server.CreateClient();

        var callback = await AtProviderAsync(await StartAsync(api), NewLogin(), abort: true);
        var back = await CallbackAsync(api, callback);

        AssertRefused(api, back, "access_denied");
        Assert.Equal("https://app.example.test/signed-in?tab=1&error=access_denied", back.AbsoluteUri);
    }

    [Fact]
    public async Task RotatedKeys_ArePickedUp_AndTheRetiredKeyIsRefused()
    {
        using var api = Server.CreateClient();
        Assert.Null(ErrorOf(await SignInAsync(api, NewLogin())));
        await Provider.RotateKeysAsync();
        // Note: past the one-minute floor between two reads of a provider's keys.
        Server.Time.Advance(TimeSpan.FromMinutes(2));

        using var next = Server.CreateClient();
        var rotated = await SignInAsync(next, NewLogin());
        using var stale = Server.CreateClient();
        var retired = await SignInAsync(stale, NewLogin(), provider: "stale-key");

        Assert.Null(ErrorOf(rotated));
        await ValidateAsync(next);
        AssertRefused(stale, retired, "invalid_id_token");
    }

    private static void AssertRefused(ApiClient api, Uri back, string code)
    {
        Assert.Equal("app.example.test", back.Host);
        Assert.Equal(code, ErrorOf(back));
        Assert.DoesNotContain("__Host-fs-at", api.Cookies.Keys);
        Assert.DoesNotContain("__Host-fs-rt", api.Cookies.Keys);
    }

    private static Uri WithQuery(Uri uri, string name, string value)
    {
        var query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        query[name] = value;
        return new Uri(QueryHelpers.AddQueryString(uri.GetLeftPart(UriPartial.Path), query));
    }
}
