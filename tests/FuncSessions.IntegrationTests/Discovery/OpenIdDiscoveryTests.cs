using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using StockJwtBearerApi;

namespace FuncSessions.IntegrationTests.Discovery;

/// <summary>
/// OpenID Connect discovery at <c>{issuer}/.well-known/openid-configuration</c>: an API that uses nothing but the stock
/// JwtBearer handler, with only <c>Authority</c> (our issuer) and <c>Audience</c> set, accepts a real access token of a
/// running self-host and refuses a tampered one.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OpenIdDiscoveryTests(AzuriteFixture fixture)
{
    private const string Audience = "https://orders.example.com";

    [Fact]
    public async Task The_document_names_the_issuer_its_keys_and_ES256_and_is_cacheable()
    {
        var (server, issuer) = await StartIssuerAsync();
        await using (server)
        {
            using var client = server.CreateClient();
            using var response = await client.GetAsync("/api/.well-known/openid-configuration");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=300", response.Headers.CacheControl!.ToString());
            var document = await response.JsonAsync();
            Assert.Equal(issuer, (string?)document["issuer"]);
            Assert.Equal(issuer + "/auth/jwks", (string?)document["jwks_uri"]);
            Assert.Equal(["ES256"], document["id_token_signing_alg_values_supported"]!.AsArray().Select(a => (string?)a));
            Assert.Equal(["public"], document["subject_types_supported"]!.AsArray().Select(a => (string?)a));
            Assert.Empty(document["response_types_supported"]!.AsArray());
            Assert.Contains("sid", document["claims_supported"]!.AsArray().Select(a => (string?)a));

            using var jwks = await client.GetAsync(new Uri((string)document["jwks_uri"]!).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        }
    }

    [Fact]
    public async Task Stock_JwtBearer_with_only_Authority_and_Audience_accepts_a_real_token_and_refuses_a_tampered_one()
    {
        var (server, issuer) = await StartIssuerAsync();
        await using (server)
        {
            using var auth = server.CreateClient();
            var username = "stock" + Guid.NewGuid().ToString("N")[..8];
            using (await auth.PostAsync("/api/auth/register", new { username, password = "correct horse battery staple" }))
            {
            }

            using var login = await auth.PostAsync("/api/auth/login", new { username, password = "correct horse battery staple" });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var session = await login.JsonAsync();
            var token = (string)session["accessToken"]!;

            await using var api = await StartStockApiAsync(issuer);
            using var http = new HttpClient { BaseAddress = api.Address };

            using var accepted = await SendAsync(http, token);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            var who = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!;
            Assert.Equal((string?)session["userId"], (string?)who["sub"]);
            Assert.Equal((string?)session["sessionId"], (string?)who["sid"]);

            // Note: one character of the signature changed (never its last, whose low bits base64url may ignore).
            var dot = token.LastIndexOf('.');
            var tampered = token[..(dot + 1)] + (token[dot + 1] == 'A' ? 'B' : 'A') + token[(dot + 2)..];
            using var refused = await SendAsync(http, tampered);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            using var none = await http.GetAsync("/whoami");
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }
    }

    [Fact]
    public async Task An_issuer_URL_that_does_not_end_in_api_stops_start_up_naming_the_setting()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => SelfHostServer.StartAsync(
            fixture.Azurite, new Dictionary<string, string?> { ["FuncSessions:Tokens:Issuer"] = "https://auth.example.com/tokens" }));

        Assert.Contains("FuncSessions:Tokens:Issuer", e.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new("Bearer", token);
        return http.SendAsync(request);
    }

    /// <summary>A bearer-mode self-host whose issuer is its own loopback URL, on the real clock (the stock API has no other).</summary>
    private async Task<(SelfHostServer Server, string Issuer)> StartIssuerAsync()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var issuer = url + "/api";
        var server = await SelfHostServer.StartAsync(
            fixture.Azurite,
            new Dictionary<string, string?>
            {
                ["FuncSessions:Tokens:Issuer"] = issuer,
                ["FuncSessions:Tokens:Audience"] = Audience,
                ["FuncSessions:Http:TokenTransport"] = "Bearer",
            },
            url,
            new FakeTimeProvider(DateTimeOffset.UtcNow));
        return (server, issuer);
    }

    private static async Task<StockApi> StartStockApiAsync(string issuer)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jwt:Authority"] = issuer,
            ["Jwt:Audience"] = Audience,
            ["Jwt:RequireHttpsMetadata"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var app = StockJwtBearerApp.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StockApi(app, new Uri(address));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record StockApi(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
