using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace FuncSessions.External;

public sealed record GitHubUser(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("login")] string? Login,
    [property: JsonPropertyName("name")] string? Name);

public sealed record GitHubEmail(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("primary")] bool Primary,
    [property: JsonPropertyName("verified")] bool Verified);

/// <summary>
/// GitHub has no ID token: the user API names the user (its numeric id is the subject; logins can be renamed), and the
/// emails API gives the primary address, used only when GitHub verified it.
/// </summary>
public sealed class GitHubUsers(IHttpClientFactory httpClients)
{
    public async Task<ExternalIdentity?> FindAsync(ExternalProvider provider, string accessToken, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(ProviderMetadata.HttpClientName);
        var user = await GetAsync(client, "/user", accessToken, ExternalJsonContext.Default.GitHubUser, cancellationToken);
        if (user is not { Id: > 0 })
        {
            return null;
        }

        var emails = await GetAsync(client, "/user/emails", accessToken, ExternalJsonContext.Default.ListGitHubEmail, cancellationToken) ?? [];
        var email = PrimaryVerified(emails);
        return new ExternalIdentity(provider.Name, user.Id.ToString(CultureInfo.InvariantCulture), email, email is not null, user.Name ?? user.Login);
    }

    /// <summary>The primary address if GitHub verified it; never another one.</summary>
    public static string? PrimaryVerified(IEnumerable<GitHubEmail> emails) =>
        emails.FirstOrDefault(e => e is { Primary: true, Verified: true, Email.Length: > 0 })?.Email;

    private static async Task<T?> GetAsync<T>(
        HttpClient client, string path, string accessToken, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ExternalProvider.GitHubApi + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        // Note: GitHub's API refuses requests without a User-Agent.
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("FuncSessions", "1.0"));
        using var response = await client.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(type, cancellationToken) : default;
    }
}
