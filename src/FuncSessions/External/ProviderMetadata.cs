using System.Collections.Concurrent;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace FuncSessions.External;

/// <summary>
/// Each OpenID Connect provider's discovery document and signing keys (JWKS), read on first use and kept for
/// <see cref="Lifetime"/>. A token signed with a key the cached set lacks asks for a fresh read (<see cref="RefreshAsync"/>),
/// at most once per <see cref="MinimumRefreshInterval"/>, so a provider that rotates its keys is followed at once while
/// forged key ids cannot make us fetch on every request.
/// </summary>
public sealed class ProviderMetadata(IHttpClientFactory httpClients, TimeProvider time)
{
    public const string HttpClientName = "FuncSessions.External";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<OpenIdConnectConfiguration> GetAsync(ExternalProvider provider, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(provider.Name, out var entry) && time.GetUtcNow() - entry.ReadAt < Lifetime)
        {
            return entry.Configuration;
        }

        return await ReadAsync(provider, cancellationToken);
    }

    /// <summary>A fresh read, or null when the last one is too recent to repeat (the keys it has are the keys there are).</summary>
    public async Task<OpenIdConnectConfiguration?> RefreshAsync(ExternalProvider provider, CancellationToken cancellationToken) =>
        _entries.TryGetValue(provider.Name, out var entry) && time.GetUtcNow() - entry.ReadAt < MinimumRefreshInterval
            ? null
            : await ReadAsync(provider, cancellationToken);

    private async Task<OpenIdConnectConfiguration> ReadAsync(ExternalProvider provider, CancellationToken cancellationToken)
    {
        var retriever = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = !provider.AllowsHttpMetadata };
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(provider.MetadataAddress!, retriever, cancellationToken);
        _entries[provider.Name] = new Entry(configuration, time.GetUtcNow());
        return configuration;
    }

    private sealed record Entry(OpenIdConnectConfiguration Configuration, DateTimeOffset ReadAt);
}
