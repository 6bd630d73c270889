using System.Net;
using System.Text;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.IntegrationTests.Validation;

namespace FuncSessions.IntegrationTests.SessionData;

/// <summary>In bearer mode the new access token travels in the PATCH body; the refresh token stays with the client.</summary>
public sealed class SessionDataBearerModeTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Http:TokenTransport"] = "Bearer",
        ["FuncSessions:Sessions:ClientWritableDataKeys"] = "theme",
    };

    [Fact]
    public async Task Patch_ReturnsANewAccessTokenInTheBody_AndNoRefreshToken()
    {
        // Arrange
        using var client = Server.CreateClient();
        var login = await LoginAsync(client, await RegisterAsync(client));
        client.BearerToken = (string?)login["accessToken"];

        // Act
        using var patch = await client.SendAsync(HttpMethod.Patch, "/api/auth/session",
            new StringContent("""{"theme":"dark"}""", Encoding.UTF8, "application/json"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("true", patch.Headers.GetValues("X-Revalidate-Session").Single());
        Assert.Empty(client.LastSetCookies);
        var body = await patch.JsonAsync();
        Assert.Equal("Bearer", (string?)body["tokenType"]);
        Assert.Null(body["refreshToken"]);
        var accessToken = (string)body["accessToken"]!;
        Assert.NotEqual((string?)login["accessToken"], accessToken);
        Assert.Equal("dark", (string?)TestTokens.Payload(accessToken)["theme"]);

        using var refresh = await client.PostAsync("/api/auth/refresh", new { refreshToken = (string?)login["refreshToken"] });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal("dark", (string?)TestTokens.Payload((string)(await refresh.JsonAsync())["accessToken"]!)["theme"]);
    }
}
