using System.ComponentModel.DataAnnotations;

namespace FuncSessions.External;

/// <summary>Sign-in with external providers (OpenID Connect, Entra ID, Google, GitHub). Bound from <c>FuncSessions:External</c>.</summary>
public sealed class ExternalSignInOptions
{
    public const string SectionName = "FuncSessions:External";

    /// <summary>
    /// The site origins a sign-in may return to (<c>returnTo</c>), comma-separated exact origins such as
    /// <c>https://app.example.com</c>. A <c>returnTo</c> on any other origin is refused (no open redirect). When the
    /// sign-in cannot tell where it started (its transaction cookie is gone), errors go to the first one's root.
    /// </summary>
    [RegularExpression(@"^\s*(https?://[^\s,/*]+\s*(,\s*https?://[^\s,/*]+\s*)*)?$",
        ErrorMessage = "FuncSessions:External:ReturnOrigins must be exact origins such as https://app.example.com, separated by commas (no '*', no path).")]
    public string ReturnOrigins { get; set; } = "";

    /// <summary>
    /// Whether a first sign-in whose provider vouches for the address (<c>email_verified</c> true) joins the existing
    /// account that verified the same address here. Off by default: it hands the account to whoever controls the address
    /// at the provider, and providers differ in what "verified" means (Entra ID's <c>email</c> is never treated as verified).
    /// </summary>
    public bool LinkVerifiedEmail { get; set; }

    /// <summary>The providers; none (default) turns external sign-in off. An entry without a Name is an unused slot (Bicep writes one).</summary>
    public List<ExternalProviderOptions> Providers { get; set; } = [];

    public IEnumerable<ExternalProviderOptions> ConfiguredProviders => Providers.Where(p => p.Name.Length > 0);

    public IReadOnlyList<string> ReturnOriginList() =>
        ReturnOrigins.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Null when the settings are usable, else what is wrong, naming the setting.</summary>
    public string? Problem()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Providers.Count; i++)
        {
            var provider = Providers[i];
            var setting = $"{SectionName}:Providers:{i}";
            if (provider.Name.Length == 0)
            {
                continue;
            }

            if (!names.Add(provider.Name))
            {
                return $"{setting}:Name '{provider.Name}' is used twice.";
            }

            if (provider.Problem(setting) is { } problem)
            {
                return problem;
            }
        }

        return names.Count > 0 && ReturnOriginList().Count == 0
            ? $"{SectionName}:ReturnOrigins must list the site origins a sign-in may return to."
            : null;
    }
}

/// <summary>Which protocol and defaults a provider uses.</summary>
public enum ExternalProviderKind
{
    /// <summary>Any OpenID Connect provider, by its issuer (<see cref="ExternalProviderOptions.Authority"/>).</summary>
    OpenIdConnect,

    /// <summary>Microsoft Entra ID: one tenant, or several (<see cref="ExternalProviderOptions.AllowedTenants"/>); the subject is <c>tid</c> + <c>oid</c>.</summary>
    EntraId,

    Google,

    /// <summary>GitHub OAuth apps: OAuth 2.0 without an ID token; the user API, with the verified primary address only.</summary>
    GitHub,
}

public sealed class ExternalProviderOptions
{
    /// <summary>The name in the routes (<c>oauth/{name}/start</c>): lower-case letters, digits and '-'. Empty: this entry is unused.</summary>
    [RegularExpression("^[a-z0-9-]{0,32}$", ErrorMessage = "A provider Name must be up to 32 lower-case letters, digits or '-'.")]
    public string Name { get; set; } = "";

    /// <summary>What the sign-in button says; default the name.</summary>
    [MaxLength(64)]
    public string DisplayName { get; set; } = "";

    public ExternalProviderKind Kind { get; set; } = ExternalProviderKind.OpenIdConnect;

    /// <summary>
    /// OpenIdConnect: the issuer URL, whose <c>/.well-known/openid-configuration</c> is read (https; http only for a
    /// loopback address). Not used for the presets.
    /// </summary>
    public string Authority { get; set; } = "";

    /// <summary>EntraId: the tenant id (GUID) for a single tenant, or <c>organizations</c> (any work or school tenant in <see cref="AllowedTenants"/>).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>EntraId with <c>organizations</c>: the tenant ids (GUIDs) whose users may sign in, comma-separated.</summary>
    public string AllowedTenants { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>The client secret (a Key Vault reference in Azure). Sent in the token request's body, never logged.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Space-separated scopes; empty: <c>openid email profile</c> (GitHub: <c>read:user user:email</c>).</summary>
    public string Scopes { get; set; } = "";

    public IReadOnlyList<string> AllowedTenantList() =>
        AllowedTenants.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    internal string? Problem(string setting)
    {
        if (string.IsNullOrEmpty(ClientId) || string.IsNullOrEmpty(ClientSecret))
        {
            return $"{setting}:ClientId and {setting}:ClientSecret are required.";
        }

        switch (Kind)
        {
            case ExternalProviderKind.OpenIdConnect when !IsAllowedAuthority(Authority):
                return $"{setting}:Authority must be the provider's https issuer URL (http only on a loopback address).";
            case ExternalProviderKind.EntraId when TenantId == "organizations":
                return AllowedTenantList() is { Count: > 0 } tenants && tenants.All(t => Guid.TryParse(t, out _))
                    ? null
                    : $"{setting}:AllowedTenants must list tenant ids (GUIDs) when {setting}:TenantId is 'organizations'.";
            case ExternalProviderKind.EntraId when !Guid.TryParse(TenantId, out _):
                return $"{setting}:TenantId must be a tenant id (GUID), or 'organizations' with {setting}:AllowedTenants.";
            default:
                return null;
        }
    }

    internal static bool IsAllowedAuthority(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.Query.Length == 0 && uri.Fragment.Length == 0
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
