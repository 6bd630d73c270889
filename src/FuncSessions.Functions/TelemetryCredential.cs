using Azure.Core;
using Azure.Identity;

namespace FuncSessions.Functions;

/// <summary>
/// The credential the worker's Azure Monitor exporter sends telemetry with. The template's Application Insights accepts
/// only Entra-authenticated telemetry (local auth off) and names the identity in the setting the host reads too,
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING=ClientId=&lt;id&gt;;Authorization=AAD</c>.
/// </summary>
public static class TelemetryCredential
{
    /// <summary>The user-assigned identity the setting names, the system identity for <c>Authorization=AAD</c> alone, else none (key only).</summary>
    public static TokenCredential? From(string? authenticationString)
    {
        var parts = (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
