using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests;

/// <summary>With its storage gone, the API fails closed: 503, never a valid session.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class StorageOutageTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;
    private SelfHostServer _server = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _server = await SelfHostServer.StartAsync(_azurite);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task StorageDown_ValidateRefreshLoginAndLogout_Answer503_NeverSuccess()
    {
        using var client = _server.CreateClient();
        using (var register = await client.PostAsync("/api/auth/register", new { username = "outage-user", password = "correct horse battery staple" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, register.StatusCode);
        }

        using (var login = await client.PostAsync("/api/auth/login", new { username = "outage-user", password = "correct horse battery staple" }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var cookies = new Dictionary<string, string>(client.Cookies);

        await _azurite.StopAsync();

        using var validate = await client.GetAsync("/api/auth/validate");
        await validate.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        using var refresh = await client.PostAsync("/api/auth/refresh");
        await refresh.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        using var logout = await client.PostAsync("/api/auth/logout");
        await logout.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.Equal(cookies, client.Cookies);
        using var login2 = await client.PostAsync("/api/auth/login", new { username = "outage-user", password = "correct horse battery staple" });
        await login2.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.Equal(cookies[TokenDelivery.RefreshTokenCookie], client.Cookies[TokenDelivery.RefreshTokenCookie]);
    }
}
