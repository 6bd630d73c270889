using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace FuncSessions.External;

/// <summary>The token endpoint's answer (RFC 6749 5.1): only what a sign-in uses.</summary>
public sealed record ProviderTokens(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>
/// Redeems an authorization code at the provider's token endpoint with the PKCE verifier and the client secret (in the
/// body: <c>client_secret_post</c>, which Entra ID, Google, GitHub and most providers accept).
/// </summary>
public sealed class ProviderTokenClient(IHttpClientFactory httpClients)
{
    /// <summary>The tokens, or null with the provider's error code (or HTTP status) when the code was refused.</summary>
    public async Task<(ProviderTokens? Tokens, string? Error)> RedeemAsync(
        string tokenEndpoint, ExternalProvider provider, string code, string verifier, string redirectUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = redirectUri,
                ["client_id"] = provider.ClientId,
                ["client_secret"] = provider.ClientSecret,
                ["code_verifier"] = verifier,
            }),
        };
        // Note: GitHub answers form-encoded unless asked for JSON.
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await httpClients.CreateClient(ProviderMetadata.HttpClientName).SendAsync(request, cancellationToken);
        var tokens = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? await response.Content.ReadFromJsonAsync(ExternalJsonContext.Default.ProviderTokens, cancellationToken)
            : null;
        // Note: GitHub answers a refused code with 200 and an error member.
        if (!response.IsSuccessStatusCode || tokens is null || tokens.Error is not null || tokens.AccessToken is null)
        {
            return (null, tokens?.Error ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return (tokens, null);
    }
}
