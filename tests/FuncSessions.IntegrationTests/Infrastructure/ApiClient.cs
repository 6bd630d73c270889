using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// An HTTP client that behaves like a browser's cookie jar for our cookies. HttpClient's own container refuses
/// Secure cookies over plain http, which is what the loopback test server speaks.
/// </summary>
public sealed class ApiClient(Uri baseAddress, SecretLedger? secrets = null) : IDisposable
{
    // Note: redirects are the test's to follow (external sign-in answers 302 to the provider and back to the site).
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public Dictionary<string, string> Cookies { get; } = [];

    public string? BearerToken { get; set; }

    /// <summary>Headers sent with every request, e.g. <c>Origin</c> to act as a page on another site.</summary>
    public Dictionary<string, string> Headers { get; } = [];

    public List<string> LastSetCookies { get; } = [];

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        SendAsync(HttpMethod.Post, path, JsonContent(body ?? new { }));

    public Task<HttpResponseMessage> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, JsonContent(body));

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<HttpResponseMessage> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string? contentType) =>
        SendAsync(HttpMethod.Post, path, contentType is null
            ? new StringContent(body, Encoding.UTF8) { Headers = { ContentType = null } }
            : new StringContent(body, Encoding.UTF8, contentType));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        if (BearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerToken);
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (secrets is not null)
        {
            await secrets.RecordRequestAsync(request);
        }

        var response = await _http.SendAsync(request);
        if (secrets is not null)
        {
            await secrets.RecordResponseAsync(response);
        }

        LastSetCookies.Clear();
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                LastSetCookies.Add(header);
                var nameValue = header.Split(';')[0];
                var separator = nameValue.IndexOf('=', StringComparison.Ordinal);
                var name = nameValue[..separator];
                var value = nameValue[(separator + 1)..];
                var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (expired || value.Length == 0)
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }

        return response;
    }

    public void Dispose() => _http.Dispose();

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}

public static class ResponseExtensions
{
    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts the status and, for errors, the problem-details media type and stable code.</summary>
    public static async Task AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.Equal(code, (string?)body["code"]);
        Assert.Equal((int)status, (int?)body["status"]);
    }
}
