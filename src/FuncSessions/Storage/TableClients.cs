using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FuncSessions.Storage;

/// <summary>The five tables FuncSessions uses, created from one connection setting.</summary>
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
    }

    public TableClient Users { get; }

    public TableClient Sessions { get; }

    public TableClient SessionExpiry { get; }

    public TableClient Throttles { get; }

    /// <summary>Second factors, passkeys and spent-challenge markers (<see cref="TableFactorStore"/>, <see cref="TablePasskeyStore"/>).</summary>
    public TableClient Factors { get; }

    public async Task CreateTablesIfMissingAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { Users, Sessions, SessionExpiry, Throttles, Factors })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }

    // Note: mirrors how the Functions host resolves AzureWebJobsStorage, so one set of app settings serves
    // the runtime and FuncSessions: a connection string under the name, or identity-based "{name}__…" settings.
    private static TableServiceClient CreateServiceClient(IConfiguration configuration, string name, TableClientOptions options)
    {
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new TableServiceClient(connectionString, options);
        }

        var section = configuration.GetSection(name);
        var endpoint = section["tableServiceUri"] is { Length: > 0 } uri
            ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account
                ? new Uri($"https://{account}.table.core.windows.net")
                : throw new InvalidOperationException(
                    $"No table storage connection: set '{name}' to a connection string, or '{name}__tableServiceUri' " +
                    $"(or '{name}__accountName') for an identity-based connection.");

        TokenCredential credential = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(section["clientId"] is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
        return new TableServiceClient(endpoint, credential, options);
    }
}
