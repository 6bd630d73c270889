using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FuncSessions.Storage;

/// <summary>The tables FuncSessions uses, created from one connection setting.</summary>
public sealed class TableClients
{
    public TableClients(IConfiguration configuration, IOptions<StorageOptions> options, StorageCallCounter counter)
    {
        var storage = options.Value;
        var clientOptions = new TableClientOptions();
        // Note: bounded retries so a storage outage turns into a 503 within seconds instead of a hung login.
        clientOptions.Retry.MaxRetries = 3;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        clientOptions.AddPolicy(counter, HttpPipelinePosition.PerRetry);

        var service = CreateServiceClient(configuration, storage.Connection, clientOptions);
        Users = service.GetTableClient(storage.TablePrefix + "Users");
        Sessions = service.GetTableClient(storage.TablePrefix + "Sessions");
        SessionExpiry = service.GetTableClient(storage.TablePrefix + "SessionExpiry");
        Throttles = service.GetTableClient(storage.TablePrefix + "Throttles");
        Factors = service.GetTableClient(storage.TablePrefix + "Factors");
        Tokens = service.GetTableClient(storage.TablePrefix + "Tokens");
        ExpiryIndexShards = storage.ExpiryIndexShards;
    }

    /// <summary><see cref="StorageOptions.ExpiryIndexShards"/>: the layout of the session expiry index.</summary>
    public int ExpiryIndexShards { get; }

    public TableClient Users { get; }

    public TableClient Sessions { get; }

    public TableClient SessionExpiry { get; }

    public TableClient Throttles { get; }

    /// <summary>Second factors, passkeys and spent-challenge markers (<see cref="TableFactorStore"/>, <see cref="TablePasskeyStore"/>).</summary>
    public TableClient Factors { get; }

    /// <summary>One-time link tokens (email verification, password reset, email change); their expiry entries share <see cref="SessionExpiry"/>.</summary>
    public TableClient Tokens { get; }

    // Note: all at once: start-up waits for these, and one round trip instead of six is most of a cold start's storage time.
    public Task CreateTablesIfMissingAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(new[] { Users, Sessions, SessionExpiry, Throttles, Tokens, Factors }.Select(t => t.CreateIfNotExistsAsync(cancellationToken)));

    private static TableServiceClient CreateServiceClient(IConfiguration configuration, string name, TableClientOptions options) =>
        StorageConnection.Resolve(configuration, name, "table") switch
        {
            { ConnectionString: { } connectionString } => new TableServiceClient(connectionString, options),
            var identity => new TableServiceClient(identity.Endpoint!, identity.Credential!, options),
        };
}
