using System.Net;
using System.Text.Json.Nodes;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.IntegrationTests.External;

/// <summary>A self-host with the local OpenID Provider configured as <c>local</c>, <c>other-audience</c> and <c>stale-key</c>.</summary>
public abstract class ExternalSignInTest(AzuriteFixture fixture, OidcProvider provider) : ApiTest(fixture), IClassFixture<OidcProvider>
{
    protected const string ReturnTo = "https://app.example.test/signed-in?tab=1";

    protected OidcProvider Provider => provider;

    // Note: the provider signs with the real clock, so the self-host's starts there (tests move it forward only).
    protected override FakeTimeProvider? Time => new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?>? Settings => provider.Settings(new()
    {
        // Note: the longest allowed, so a test can move past an ID token's five minutes inside one sign-in.
        ["FuncSessions:Factors:ChallengeLifetime"] = "00:15:00",
        ["FuncSessions:Http:TokenTransport"] = Transport,
    });

    protected virtual string Transport => "Cookie";

    protected static string NewLogin() => "user-" + Guid.NewGuid().ToString("N")[..10];

    protected static string StartPath(string provider = "local", string returnTo = ReturnTo, bool link = false) =>
        QueryHelpers.AddQueryString($"/api/auth/oauth/{provider}/start", new Dictionary<string, string?>
        {
            ["returnTo"] = returnTo,
            ["link"] = link ? "true" : null,
        });

    /// <summary>The start redirect's authorization URL (asserting the 302).</summary>
    protected static async Task<Uri> StartAsync(ApiClient api, string provider = "local", bool link = false)
    {
        using var start = await api.GetAsync(StartPath(provider, link: link));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        return start.Headers.Location!;
    }

    /// <summary>At the provider until it redirects to the callback; the callback URL (not yet visited).</summary>
    protected async Task<Uri> AtProviderAsync(Uri authorizationUrl, string login, bool abort = false)
    {
        using var browser = new ProviderBrowser();
        var callback = await browser.SignInAsync(authorizationUrl, login, abort);
        CatchUpClock();
        return callback;
    }

    /// <summary>The callback's answer: where it sends the browser back to.</summary>
    protected static async Task<Uri> CallbackAsync(ApiClient api, Uri callback)
    {
        using var response = await api.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>The whole sign-in: start, the provider's login form, the callback. Answers the redirect back to the site.</summary>
    protected async Task<Uri> SignInAsync(ApiClient api, string login, string provider = "local", bool link = false) =>
        await CallbackAsync(api, await AtProviderAsync(await StartAsync(api, provider, link), login));

    /// <summary>
    /// Asserts that FuncSessions' own log entries never contain <paramref name="value"/>. Note: the authorization code
    /// arrives in the callback's query string, which ASP.NET Core's request logging writes (as the browser's history
    /// keeps it); the protocol puts it there, and it is single-use, short-lived and useless without the PKCE verifier,
    /// which only the sealed cookie holds. So it is not in the secret ledger, but our own events must never carry it.
    /// </summary>
    protected void AssertOwnLogsOmit(string value) =>
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Category.StartsWith("FuncSessions", StringComparison.Ordinal) && e.Text.Contains(value, StringComparison.Ordinal));

    protected static string? ErrorOf(Uri back) =>
        QueryHelpers.ParseQuery(back.Query).TryGetValue("error", out var error) ? error.ToString() : null;

    protected static async Task<JsonObject> ValidateAsync(ApiClient api)
    {
        using var response = await api.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    // Note: the fake clock stands still while the provider's moves on; tokens it issues must not look issued in the future.
    protected void CatchUpClock()
    {
        if (DateTimeOffset.UtcNow > Server.Time.GetUtcNow())
        {
            Server.Time.SetUtcNow(DateTimeOffset.UtcNow);
        }
    }
}
