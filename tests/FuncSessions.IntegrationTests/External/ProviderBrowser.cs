using System.Net;
using System.Text.RegularExpressions;

namespace FuncSessions.IntegrationTests.External;

/// <summary>
/// What a browser does at the provider: follows its redirects, fills and submits its login form (and its consent form),
/// until the provider sends it to FuncSessions' callback. Keeps the provider's cookies like a browser would.
/// </summary>
public sealed partial class ProviderBrowser : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _http;

    public ProviderBrowser() =>
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, AllowAutoRedirect = false });

    /// <summary>The callback URL the provider redirects to after <paramref name="login"/> signs in (or, with <paramref name="abort"/>, cancels).</summary>
    public async Task<Uri> SignInAsync(Uri authorizationUrl, string login, bool abort = false)
    {
        var next = authorizationUrl;
        for (var step = 0; step < 20; step++)
        {
            if (next.AbsoluteUri.StartsWith(Infrastructure.OidcProvider.ApiBase, StringComparison.Ordinal))
            {
                return next;
            }

            using var response = await _http.GetAsync(next);
            if (response.Headers.Location is { } location)
            {
                next = new Uri(next, location);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"The provider answered {(int)response.StatusCode}: {html}");
            if (abort)
            {
                next = new Uri(next, WebUtility.HtmlDecode(AbortLink().Match(html).Groups[1].Value));
                continue;
            }

            next = await SubmitFormAsync(next, html, login);
        }

        throw new InvalidOperationException("The provider never redirected to the callback.");
    }

    public void Dispose() => _http.Dispose();

    private async Task<Uri> SubmitFormAsync(Uri page, string html, string login)
    {
        var form = Form().Match(html);
        Assert.True(form.Success, "No form on the provider's page: " + html);
        var fields = Input().Matches(form.Groups[2].Value)
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        if (fields.ContainsKey("login"))
        {
            fields["login"] = login;
            fields["password"] = "any password";
        }

        var action = new Uri(page, WebUtility.HtmlDecode(form.Groups[1].Value));
        using var response = await _http.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.True(response.Headers.Location is not null, $"The provider answered the form with {(int)response.StatusCode}.");
        return new Uri(action, response.Headers.Location);
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("<input[^>]*name=\"([^\"]*)\"(?:[^>]*value=\"([^\"]*)\")?")]
    private static partial Regex Input();

    [GeneratedRegex("href=\"([^\"]*/abort)\"")]
    private static partial Regex AbortLink();
}
