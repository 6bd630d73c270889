using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace FuncSessions.Storage;

/// <summary>A storage connection setting resolved to a connection string, or to a service endpoint and a credential.</summary>
public sealed record StorageConnection(string? ConnectionString, Uri? Endpoint, TokenCredential? Credential)
{
    // Note: mirrors how the Functions host resolves AzureWebJobsStorage, so one set of app settings serves
    // the runtime and FuncSessions: a connection string under the name, or identity-based "{name}__…" settings.
    public static StorageConnection Resolve(IConfiguration configuration, string name, string service)
    {
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageConnection(connectionString, null, null);
        }

        var section = configuration.GetSection(name);
        var endpoint = section[service + "ServiceUri"] is { Length: > 0 } uri
            ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account
                ? new Uri($"https://{account}.{service}.core.windows.net")
                : throw new InvalidOperationException(
                    $"No {service} storage connection: set '{name}' to a connection string, or '{name}__{service}ServiceUri' " +
                    $"(or '{name}__accountName') for an identity-based connection.");

        TokenCredential credential = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(section["clientId"] is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
        return new StorageConnection(null, endpoint, credential);
    }
}
