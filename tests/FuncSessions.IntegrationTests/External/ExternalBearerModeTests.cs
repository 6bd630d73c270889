using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace FuncSessions.IntegrationTests.External;

/// <summary>Bearer mode: the callback returns to the site with a one-time code, never a token; the site exchanges it by POST.</summary>
public sealed class ExternalBearerModeTests(AzuriteFixture fixture, OidcProvider provider) : ExternalSignInTest(fixture, provider)
{
    protected override string Transport => "Bearer";

    [Fact]
    public async Task Callback_ReturnsAOneTimeCode_ThatTheSiteExchangesForTokens()
    {
        using var api = Server.CreateClient();

        var back = await SignInAsync(api, NewLogin());

        Assert.DoesNotContain("__Host-fs-at", api.Cookies.Keys);
        var code = QueryHelpers.ParseQuery(back.Query)["signin_code"].ToString();
        Server.Secrets.Add(code, "signin code");
        Assert.DoesNotContain("token", back.Query, StringComparison.OrdinalIgnoreCase);
        using var exchange = await api.PostAsync("/api/auth/oauth/exchange", new { code });
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var session = await exchange.JsonAsync();
        Assert.Equal(["fed"], session["amr"]!.AsArray().Select(a => (string?)a));
        api.BearerToken = (string?)session["accessToken"];
        await ValidateAsync(api);
        using var refresh = await api.PostAsync("/api/auth/refresh", new { refreshToken = (string?)session["refreshToken"] });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);

        using var again = await api.PostAsync("/api/auth/oauth/exchange", new { code });
        await again.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_signin_code");
    }
}
