using System.Buffers;
using FuncSessions.Host;
using FuncSessions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// The real self-host (built exactly as Program does) on a free loopback port, over a real Azurite, with its own
/// tables and a clock the test moves. Every log entry it writes is captured, and when it stops it fails if any
/// secret its clients sent or received appears in them (case 40).
/// </summary>
public sealed class SelfHostServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly string _keyDirectory;

    private SelfHostServer(WebApplication app, FakeTimeProvider time, Uri baseAddress, LogCapture logs, string keyDirectory)
    {
        _app = app;
        _keyDirectory = keyDirectory;
        Logs = logs;
        Time = time;
        BaseAddress = baseAddress;
    }

    public FakeTimeProvider Time { get; }

    public LogCapture Logs { get; }

    public SecretLedger Secrets { get; } = new();

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public long StorageCalls => Services.GetRequiredService<StorageCallCounter>().Count;

    /// <param name="url">A fixed address, to restart a server where clients expect it; default a free port.</param>
    /// <param name="time">A clock shared with another server; default a new one at 2026-03-02 08:00 UTC.</param>
    /// <param name="services">Extra registrations, e.g. an <c>ISessionClaimsProvider</c>.</param>
    public static async Task<SelfHostServer> StartAsync(
        AzuriteProcess azurite,
        IDictionary<string, string?>? settings = null,
        string? url = null,
        FakeTimeProvider? time = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = SelfHost.CreateBuilder(["--urls", url ?? "http://127.0.0.1:0"]);
        var keyDirectory = Path.Combine(Path.GetTempPath(), "funcsessions-tests", Guid.NewGuid().ToString("N"));
        var keyFile = Path.Combine(keyDirectory, "key.json");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FuncSessions:Storage:TablePrefix"] = "T" + Guid.NewGuid().ToString("N")[..12],
            ["FuncSessions:Tokens:DevelopmentKeyFile"] = keyFile,
            ["FuncSessions:Tokens:Issuer"] = "https://funcsessions.test/api",
            ["FuncSessions:Factors:EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            // Note: a schedule that never fires inside a test, so only tests that want the sweep see it run.
            ["FuncSessionsSweepSchedule"] = "0 0 0 1 1 *",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Note: captured only; the console logger would print every warning the security tests provoke into the CI log.
        builder.Logging.ClearProviders();
        var logs = new LogCapture();
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter<LogCapture>(null, LogLevel.Trace);
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton<TimeProvider>(time);
        services?.Invoke(builder.Services);
        var app = SelfHost.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SelfHostServer(app, time, new Uri(address), logs, keyDirectory);
    }

    public ApiClient CreateClient() => new(BaseAddress, Secrets);

    /// <summary>
    /// The captured entries that contain a secret. A raw session id is allowed in one place only: the path of
    /// <c>DELETE /api/auth/sessions/{id}</c> (and a passkey's public credential id in <c>DELETE /api/auth/passkeys/{id}</c>, a linked identity's opaque id in <c>DELETE /api/auth/identities/{id}</c>), which ASP.NET Core's request logging writes (an identifier the client put
    /// in the URL, not a credential: see docs/security.md, "Audit events").
    /// </summary>
    public IReadOnlyList<string> LeakedSecrets()
    {
        var secrets = Secrets.Secrets;
        if (secrets.Count == 0)
        {
            return [];
        }

        // Note: one multi-string search per entry first; a fuzzing run logs tens of thousands of entries and records
        // thousands of secrets, which entry-by-secret Contains calls take many minutes to cross.
        var any = SearchValues.Create([.. secrets.Keys], StringComparison.Ordinal);
        return [.. from entry in Logs.Entries
            where entry.Text.AsSpan().IndexOfAny(any) >= 0
            from secret in secrets
            let text = secret.Value == "raw id"
                ? entry.Text.Replace("/api/auth/sessions/" + secret.Key, "", StringComparison.Ordinal)
                    .Replace("/api/auth/passkeys/" + secret.Key, "", StringComparison.Ordinal)
                    .Replace("/api/auth/identities/" + secret.Key, "", StringComparison.Ordinal)
                : entry.Text
            where text.Contains(secret.Key, StringComparison.Ordinal)
            select $"{secret.Value} in {entry.Category} event {entry.EventId.Id}: {entry.Text}"];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        // Note: the development key is this server's alone (a fresh folder per start), so it goes with the server.
        if (Directory.Exists(_keyDirectory))
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }

        var leaks = LeakedSecrets();
        Assert.True(leaks.Count == 0, "Secrets in the logs:\n" + string.Join("\n", leaks.Take(10)));
    }
}
