using Microsoft.Extensions.Options;

namespace FuncSessions.External;

/// <summary>One configured provider with its preset's endpoints and defaults applied.</summary>
public sealed class ExternalProvider(ExternalProviderOptions options)
{
    /// <summary>GitHub's OAuth and REST endpoints: GitHub publishes no discovery document.</summary>
    public const string GitHubAuthorizationEndpoint = "https://github.com/login/oauth/authorize";
    public const string GitHubTokenEndpoint = "https://github.com/login/oauth/access_token";
    public const string GitHubApi = "https://api.github.com";

    public string Name => options.Name;

    public string DisplayName => options.DisplayName is { Length: > 0 } name ? name : options.Name;

    public ExternalProviderKind Kind => options.Kind;

    public string ClientId => options.ClientId;

    public string ClientSecret => options.ClientSecret;

    public bool UsesOpenIdConnect => Kind != ExternalProviderKind.GitHub;

    public string Scopes => options.Scopes is { Length: > 0 } scopes ? scopes
        : UsesOpenIdConnect ? "openid email profile" : "read:user user:email";

    /// <summary>Where the discovery document is (null for GitHub).</summary>
    public string? MetadataAddress => Kind switch
    {
        ExternalProviderKind.OpenIdConnect => options.Authority.TrimEnd('/') + "/.well-known/openid-configuration",
        ExternalProviderKind.EntraId => $"https://login.microsoftonline.com/{options.TenantId}/v2.0/.well-known/openid-configuration",
        ExternalProviderKind.Google => "https://accounts.google.com/.well-known/openid-configuration",
        _ => null,
    };

    /// <summary>Whether the discovery document and JWKS may be read over plain http (a provider on a loopback address only).</summary>
    public bool AllowsHttpMetadata => MetadataAddress is { } address && new Uri(address) is { Scheme: "http", IsLoopback: true };

    /// <summary>Entra ID: the tenants whose users may sign in (the configured one, or the allowed list for <c>organizations</c>).</summary>
    public IReadOnlyList<string> AllowedTenants => Kind != ExternalProviderKind.EntraId ? []
        : options.TenantId == "organizations" ? options.AllowedTenantList() : [options.TenantId];
}

/// <summary>The configured providers by name.</summary>
public sealed class ExternalProviders(IOptions<ExternalSignInOptions> options)
{
    private readonly Dictionary<string, ExternalProvider> _byName =
        options.Value.ConfiguredProviders.ToDictionary(p => p.Name, p => new ExternalProvider(p), StringComparer.Ordinal);

    public IEnumerable<ExternalProvider> All => options.Value.ConfiguredProviders.Select(p => _byName[p.Name]);

    public ExternalProvider? Find(string? name) => name is not null && _byName.TryGetValue(name, out var provider) ? provider : null;
}
