using System.Security.Cryptography;
using System.Text;

namespace FuncSessions.Infra.Tests;

/// <summary>
/// Stands in for the values Azure only knows after creating a resource (endpoints, identity ids, host names), in the
/// shapes Azure returns them, so settings built from them can be fed to the app's own configuration code.
/// </summary>
internal static class FakeAzure
{
    public const string TenantId = "11111111-1111-1111-1111-111111111111";
    public const string SubscriptionId = "22222222-2222-2222-2222-222222222222";
    public const string ResourceGroup = "rg-funcsessions-test";
    public const string Location = "swedencentral";

    public static string ClientIdOf(string identityId) => StableGuid("clientId", identityId);

    public static string PrincipalIdOf(string identityId) => StableGuid("principalId", identityId);

    public static string SecretUri(string vaultName, string secretName) => $"https://{vaultName}.vault.azure.net/secrets/{secretName}";

    /// <summary>The runtime property at <paramref name="path"/> (e.g. "primaryEndpoints.table") of the resource.</summary>
    public static string Property(string resourceId, string path)
    {
        var segments = resourceId.Split('/');
        var name = segments[^1];
        var type = ResourceType(resourceId);
        return (type, path) switch
        {
            ("Microsoft.Storage/storageAccounts", "primaryEndpoints.blob") => $"https://{name}.blob.core.windows.net/",
            ("Microsoft.Storage/storageAccounts", "primaryEndpoints.queue") => $"https://{name}.queue.core.windows.net/",
            ("Microsoft.Storage/storageAccounts", "primaryEndpoints.table") => $"https://{name}.table.core.windows.net/",
            ("Microsoft.ManagedIdentity/userAssignedIdentities", "clientId") => ClientIdOf(resourceId),
            ("Microsoft.ManagedIdentity/userAssignedIdentities", "principalId") => PrincipalIdOf(resourceId),
            // Note: the classic global name, as the template does not opt in to unique default host names.
            ("Microsoft.Web/sites", "defaultHostName") => $"{name}.azurewebsites.net",
            ("Microsoft.KeyVault/vaults/secrets", "secretUri") => SecretUri(segments[^3], name),
            ("Microsoft.Insights/components", "ConnectionString") =>
                $"InstrumentationKey={StableGuid("ikey", resourceId)};IngestionEndpoint=https://{Location}-0.in.applicationinsights.azure.com/",
            _ => throw new NotSupportedException($"FakeAzure does not know property '{path}' of {type}; add it."),
        };
    }

    /// <summary>"Microsoft.KeyVault/vaults/secrets" from ".../providers/Microsoft.KeyVault/vaults/kv/secrets/s".</summary>
    public static string ResourceType(string resourceId)
    {
        var provider = resourceId[(resourceId.LastIndexOf("/providers/", StringComparison.Ordinal) + "/providers/".Length)..];
        var segments = provider.Split('/');
        var type = new StringBuilder(segments[0]);
        for (var i = 1; i < segments.Length; i += 2)
        {
            type.Append('/').Append(segments[i]);
        }

        return type.ToString();
    }

    private static string StableGuid(string purpose, string seed) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}:{seed}")).AsSpan(0, 16)).ToString();
}
