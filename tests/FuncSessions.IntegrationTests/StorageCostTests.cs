using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests;

/// <summary>
/// Storage transactions per request, counted by the Azure SDK pipeline policy: these are the user's bill on
/// Azure, and the hot paths must stay point reads.
/// </summary>
public sealed class StorageCostTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task EachEndpoint_MakesTheDocumentedNumberOfStorageCalls()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);

        var login = await CountAsync(() => client.PostAsync("/api/auth/login", new { username, password = Password }));
        var validate = await CountAsync(() => client.GetAsync("/api/auth/validate"));
        var validateAgain = await CountAsync(() => client.GetAsync("/api/auth/validate"));
        var refresh = await CountAsync(() => client.PostAsync("/api/auth/refresh"));
        var sessions = await CountAsync(() => client.GetAsync("/api/auth/sessions"));
        var logout = await CountAsync(() => client.PostAsync("/api/auth/logout"));

        // Note: login takes the address's and the account's throttle slots before the hash and gives them back after
        // (address read + write, account insert in parallel with the user read, account delete, address give-back),
        // then writes the session and its expiry-index entry, and re-reads the user to withdraw a session issued under a
        // credential changed meanwhile (docs/security.md, Brute-force defence and Password change); with second factors
        // configured, one more point read finds whether the account has TOTP on (Second factors and passkeys).
        Assert.Equal(10, login);
        Assert.Equal(1, validate);
        Assert.Equal(1, validateAgain);
        Assert.Equal(2, refresh);
        Assert.Equal(2, sessions);
        Assert.Equal(1, logout);
    }

    private async Task<long> CountAsync(Func<Task<HttpResponseMessage>> request)
    {
        var before = Server.StorageCalls;
        using var response = await request();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {response.StatusCode}");
        return Server.StorageCalls - before;
    }
}
