using System.Text.Json;
using FuncSessions.Sessions;

namespace FuncSessions.External;

/// <summary>A provider identity linked to an account, as the account row lists it.</summary>
public sealed record LinkedIdentity(string Provider, string Subject, string? Email, DateTimeOffset LinkedAt)
{
    /// <summary>An opaque, stable id for the API (<c>DELETE identities/{id}</c>): subjects are not for URLs.</summary>
    public string Id => SecureIds.Hash(Provider + "|" + Subject)[..22];

    public bool Is(string provider, string subject) => Provider == provider && Subject == subject;
}

/// <summary>The account row's column of linked identities.</summary>
public static class LinkedIdentities
{
    public static string? Serialize(IReadOnlyList<LinkedIdentity> identities) =>
        identities.Count == 0 ? null : JsonSerializer.Serialize([.. identities], ExternalJsonContext.Default.ListLinkedIdentity);

    public static IReadOnlyList<LinkedIdentity> Deserialize(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, ExternalJsonContext.Default.ListLinkedIdentity) ?? [];
}
