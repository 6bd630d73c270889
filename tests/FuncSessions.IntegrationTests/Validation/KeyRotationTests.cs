using System.Net;
using System.Net.Sockets;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Tokens;
using FuncSessions.Validation;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.IntegrationTests.Validation;

/// <summary>
/// Signing-key rotation as docs/deploy.md describes it, seen by a verifier: the auth app is restarted on the same
/// address and tables with a new key list each time, as a redeploy with new app settings would.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class KeyRotationTests(AzuriteFixture fixture) : IAsyncLifetime
{
    private readonly string _oldKey = SigningKeyRing.NewPrivateKey();
    private readonly string _newKey = SigningKeyRing.NewPrivateKey();
    private readonly string _tablePrefix = "T" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private SelfHostServer? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task OldKey_KeepsVerifyingAfterRotation_UntilItIsRetired()
    {
        // Arrange: a session whose access token the old key signed.
        var url = $"http://127.0.0.1:{FreePort()}";
        var server = await RestartAsync(url, ("old", _oldKey));
        await using var api = await ProtectedApiServer.StartAsync(server.BaseAddress, _time);
        using var client = server.CreateClient();
        var username = "user" + Guid.NewGuid().ToString("N")[..10];
        using (await client.PostAsync("/api/auth/register", new { username, password = "correct horse battery staple" }))
        using (var login = await client.PostAsync("/api/auth/login", new { username, password = "correct horse battery staple" }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var oldToken = client.Cookies[FuncSessionsTokenReader.AccessTokenCookie];
        Assert.Equal("old", (string?)TestTokens.Header(oldToken)["kid"]);
        Assert.Equal(HttpStatusCode.OK, await TokenVerificationTests.WhoAmIStatusAsync(api, oldToken));

        // Act 1: rotate (new key signs, old key still listed) and refresh into a token signed by the new key.
        await RestartAsync(url, ("new", _newKey), ("old", _oldKey));
        _time.Advance(TimeSpan.FromSeconds(31));
        using (var refresh = await client.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        var newToken = client.Cookies[FuncSessionsTokenReader.AccessTokenCookie];
        Assert.Equal("new", (string?)TestTokens.Header(newToken)["kid"]);

        // Assert 1: the unknown kid made the verifier fetch the keys again; both tokens verify.
        Assert.Equal(HttpStatusCode.OK, await TokenVerificationTests.WhoAmIStatusAsync(api, newToken));
        Assert.Equal(HttpStatusCode.OK, await TokenVerificationTests.WhoAmIStatusAsync(api, oldToken));
        Assert.Equal(2, api.Calls.Jwks);

        // Act 2: retire the old key, and let the verifier's key set age past KeySetCacheDuration (5 min).
        await RestartAsync(url, ("new", _newKey));
        _time.Advance(TimeSpan.FromMinutes(5));

        // Assert 2: the old key's token is refused, the new key's still verifies.
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenVerificationTests.WhoAmIStatusAsync(api, oldToken));
        Assert.Equal(HttpStatusCode.OK, await TokenVerificationTests.WhoAmIStatusAsync(api, newToken));
        Assert.Equal(3, api.Calls.Jwks);
    }

    /// <summary>Stops the running auth app, if any, and starts it again with <paramref name="keys"/> (the first signs).</summary>
    private async Task<SelfHostServer> RestartAsync(string url, params (string KeyId, string PrivateKey)[] keys)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        var settings = new Dictionary<string, string?> { ["FuncSessions:Storage:TablePrefix"] = _tablePrefix };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"FuncSessions:Tokens:SigningKeys:{i}:KeyId"] = keys[i].KeyId;
            settings[$"FuncSessions:Tokens:SigningKeys:{i}:PrivateKey"] = keys[i].PrivateKey;
        }

        _server = await SelfHostServer.StartAsync(fixture.Azurite, settings, url, _time);
        return _server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
