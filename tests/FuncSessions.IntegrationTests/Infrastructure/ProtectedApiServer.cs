using System.Collections.Concurrent;
using FuncSessions.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using ProtectedApi;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// samples/ProtectedApi (built exactly as its Program does) on a free loopback port, verifying tokens of a self-host
/// on the self-host's clock. Every request the verifier sends to the auth app is counted by path.
/// </summary>
public sealed class ProtectedApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProtectedApiServer(WebApplication app, Uri baseAddress, AuthAppCalls calls)
    {
        _app = app;
        BaseAddress = baseAddress;
        Calls = calls;
    }

    public Uri BaseAddress { get; }

    /// <summary>Requests the verifier made to the auth app, by path.</summary>
    public AuthAppCalls Calls { get; }

    public static async Task<ProtectedApiServer> StartAsync(
        Uri authority, FakeTimeProvider time, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FuncSessions:Authority"] = authority.GetLeftPart(UriPartial.Authority),
            ["FuncSessions:Issuer"] = "https://funcsessions.test/api",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton<TimeProvider>(time);
        var calls = new AuthAppCalls();
        builder.Services.AddHttpClient(FuncSessionsBearerDefaults.HttpClientName).AddHttpMessageHandler(() => new CountingHandler(calls));
        var app = ProtectedApiApp.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ProtectedApiServer(app, new Uri(address), calls);
    }

    public ApiClient CreateClient() => new(BaseAddress);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed class AuthAppCalls
    {
        private readonly ConcurrentDictionary<string, int> _counts = new();

        public int Jwks => _counts.GetValueOrDefault("/api/auth/jwks");

        public int Validate => _counts.GetValueOrDefault("/api/auth/validate");

        internal void Add(string path) => _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
    }

    private sealed class CountingHandler(AuthAppCalls calls) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            calls.Add(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
