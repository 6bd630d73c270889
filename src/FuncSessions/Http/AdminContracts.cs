using System.Text.Json;
using System.Text.Json.Serialization;

namespace FuncSessions.Http;

/// <summary>An account as an administrator sees it: never its password hash.</summary>
public sealed record AdminUserResponse(
    string UserId,
    string Username,
    string? Email,
    bool EmailVerified,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PasswordChangedAt,
    bool Disabled,
    DateTimeOffset? DisabledAt,
    int LiveSessions);

/// <summary>What an admin action did: <see cref="UserId"/> is null for "end every session".</summary>
public sealed record AdminActionResponse(string? UserId, int SessionsEnded);

/// <summary>Find a user by exactly one of these.</summary>
/// <remarks>Note: the defaults keep each one optional in the OpenAPI schema, which would otherwise require all three.</remarks>
public sealed record AdminFindRequest(string? Id = null, string? Username = null, string? Email = null);

public sealed record AdminUserRequest(string? UserId);

public sealed record AdminEmptyRequest;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(AdminFindRequest))]
[JsonSerializable(typeof(AdminUserRequest))]
[JsonSerializable(typeof(AdminEmptyRequest))]
[JsonSerializable(typeof(AdminUserResponse))]
[JsonSerializable(typeof(AdminActionResponse))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
