using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>Each test gets its own self-host and tables on the suite's Azurite.</summary>
[Collection(IntegrationCollection.Name)]
public abstract class ApiTest(AzuriteFixture fixture) : IAsyncLifetime
{
    protected const string Password = "correct horse battery staple";

    protected SelfHostServer Server { get; private set; } = null!;

    protected AzuriteProcess Azurite => fixture.Azurite;

    /// <summary>Settings on top of the test defaults, e.g. bearer mode.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>The self-host's clock; default one at 2026-03-02 08:00 UTC (<see cref="SelfHostServer.StartAsync"/>).</summary>
    protected virtual FakeTimeProvider? Time => null;

    /// <summary>Registrations on top of the self-host's, e.g. an <c>ISessionClaimsProvider</c>.</summary>
    protected virtual Action<IServiceCollection>? Services => null;

    public async Task InitializeAsync() => Server = await SelfHostServer.StartAsync(fixture.Azurite, Settings, time: Time, services: Services);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected static string NewUsername() => "user" + Guid.NewGuid().ToString("N")[..10];

    protected async Task<string> RegisterAsync(ApiClient client, string? username = null, string password = Password)
    {
        username ??= NewUsername();
        using var response = await client.PostAsync("/api/auth/register", new { username, password });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return username;
    }

    protected async Task<JsonObject> LoginAsync(ApiClient client, string username, string password = Password)
    {
        using var response = await client.PostAsync("/api/auth/login", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    protected async Task<(ApiClient Client, string Username, JsonObject Login)> SignedInClientAsync()
    {
        var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        return (client, username, await LoginAsync(client, username));
    }
}
