using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests;

/// <summary>Cross-site frontends: tokens in JSON bodies and the Authorization header, no cookies at all.</summary>
public sealed class BearerModeTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Http:TokenTransport"] = "Bearer",
    };

    [Fact]
    public async Task BearerMode_LoginValidateRefreshLogout_WorkWithoutCookies()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);

        var login = await LoginAsync(client, username);
        Assert.Empty(client.LastSetCookies);
        Assert.Equal("Bearer", (string?)login["tokenType"]);
        var accessToken = (string)login["accessToken"]!;
        var refreshToken = (string)login["refreshToken"]!;

        client.BearerToken = accessToken;
        using var validate = await client.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);

        using var refreshed = await client.PostAsync("/api/auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var rotated = await refreshed.JsonAsync();
        Assert.NotEqual(refreshToken, (string?)rotated["refreshToken"]);

        client.BearerToken = (string)rotated["accessToken"]!;
        using var logout = await client.PostAsync("/api/auth/logout", new { refreshToken = (string?)rotated["refreshToken"] });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var after = await client.GetAsync("/api/auth/validate");
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task BearerMode_IgnoresTokenCookies()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        var login = await LoginAsync(client, username);

        client.Cookies[FuncSessions.Http.TokenDelivery.AccessTokenCookie] = (string)login["accessToken"]!;
        client.Cookies[FuncSessions.Http.TokenDelivery.RefreshTokenCookie] = (string)login["refreshToken"]!;
        using var validate = await client.GetAsync("/api/auth/validate");
        using var refresh = await client.PostAsync("/api/auth/refresh");

        await validate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }
}
