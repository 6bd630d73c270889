using System.Security.Claims;
using System.Text.Json;

namespace FuncSessions.Validation;

/// <summary>Claim types of a verified FuncSessions principal.</summary>
public static class FuncSessionsClaimTypes
{
    /// <summary>The user id (<c>sub</c>); also the identity's name claim.</summary>
    public const string UserId = "sub";

    /// <summary>The session id (<c>sid</c>).</summary>
    public const string SessionId = "sid";

    /// <summary>The conventional role claim: session data <c>"roles": ["admin"]</c> makes <c>IsInRole("admin")</c> true.</summary>
    public const string Roles = "roles";
}

/// <summary>
/// The identity of a caller with a valid FuncSessions access token. Claims: <c>sub</c>, <c>sid</c>, and one claim per
/// session-data value (one per element for arrays); <see cref="Data"/> keeps the data's exact JSON shape.
/// </summary>
public sealed class FuncSessionsIdentity : ClaimsIdentity
{
    public const string AuthenticationTypeName = "FuncSessions";

    public FuncSessionsIdentity(IEnumerable<Claim> claims, IReadOnlyDictionary<string, JsonElement> data, DateTimeOffset expiresAt)
        : base(claims, AuthenticationTypeName, FuncSessionsClaimTypes.UserId, FuncSessionsClaimTypes.Roles)
    {
        Data = data;
        ExpiresAt = expiresAt;
    }

    private FuncSessionsIdentity(FuncSessionsIdentity other)
        : base(other)
    {
        Data = other.Data;
        ExpiresAt = other.ExpiresAt;
    }

    public string UserId => FindFirst(FuncSessionsClaimTypes.UserId)!.Value;

    public string SessionId => FindFirst(FuncSessionsClaimTypes.SessionId)!.Value;

    /// <summary>The session data as of the token's issue (a PATCH shows up in the next access token).</summary>
    public IReadOnlyDictionary<string, JsonElement> Data { get; }

    /// <summary>When the access token expires.</summary>
    public DateTimeOffset ExpiresAt { get; }

    public override ClaimsIdentity Clone() => new FuncSessionsIdentity(this);
}

public static class FuncSessionsPrincipalExtensions
{
    /// <summary>The FuncSessions identity of a verified principal, or null when the caller is not authenticated by FuncSessions.</summary>
    public static FuncSessionsIdentity? GetFuncSessionsIdentity(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identities.OfType<FuncSessionsIdentity>().FirstOrDefault(identity => identity.IsAuthenticated);
    }
}
