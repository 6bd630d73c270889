using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Email;

/// <summary>A self-host with email switched on, sending through a real SMTP server process the test reads.</summary>
[Collection(IntegrationCollection.Name)]
public abstract partial class EmailTest(AzuriteFixture fixture) : IAsyncLifetime
{
    protected const string Password = "correct horse battery staple";
    protected const string NewPassword = "a different long passphrase";

    protected SelfHostServer Server { get; private set; } = null!;

    protected SmtpCatcher Smtp { get; private set; } = null!;

    /// <summary>Link tokens already handed to the test, so each call finds the next mail's.</summary>
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Smtp = await SmtpCatcher.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["FuncSessions:Email:Smtp:Host"] = "127.0.0.1",
            ["FuncSessions:Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FuncSessions:Email:Smtp:Security"] = "None",
            ["FuncSessions:Email:LinkBaseUrl"] = "https://app.example.test/",
            ["FuncSessions:Email:FromAddress"] = "no-reply@example.test",
            ["FuncSessions:Email:PollInterval"] = "00:00:00.100",
            ["FuncSessions:Email:RetryDelay"] = "00:00:00.500",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        Server = await SelfHostServer.StartAsync(fixture.Azurite, settings);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    protected static string NewEmail() => $"User.{Guid.NewGuid():N}@Example.TEST";

    /// <summary>Registers with an address alone, opens the verification mail and uses its link.</summary>
    protected async Task<string> RegisterVerifiedAsync(ApiClient client, string? email = null)
    {
        email ??= NewEmail();
        using (var register = await client.PostAsync("/api/auth/register", new { email, password = Password }))
        {
            Assert.Equal(HttpStatusCode.Accepted, register.StatusCode);
        }

        var token = await LinkTokenAsync(email, "verify-email");
        using var verify = await client.PostAsync("/api/auth/email/verify", new { token });
        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        return email;
    }

    /// <summary>The token in the newest mail to <paramref name="email"/> whose link does <paramref name="action"/> and was not seen yet, checked in both parts.</summary>
    protected async Task<string> LinkTokenAsync(string email, string action, Func<CaughtMail, bool>? match = null)
    {
        var mail = await Smtp.WaitForMailAsync(email, m => m.Text.Contains("#action=" + action, StringComparison.Ordinal)
            && !_seen.Contains(LinkPattern().Match(m.Text).Groups["token"].Value) && (match?.Invoke(m) ?? true));
        var link = LinkPattern().Match(mail.Text);
        Assert.True(link.Success, "No link in: " + mail.Text);
        Assert.StartsWith("https://app.example.test/#action=" + action + "&token=", link.Value, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(link.Value), mail.Html, StringComparison.Ordinal);
        var token = link.Groups["token"].Value;
        _seen.Add(token);
        // Note: the link token is a secret too: the log-leak check must find it nowhere.
        Server.Secrets.Add(token, "link token");
        return token;
    }

    protected async Task<JsonObject> LoginByEmailAsync(ApiClient client, string email, string password = Password)
    {
        using var response = await client.PostAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [GeneratedRegex(@"https://app\.example\.test/#action=[a-z-]+&token=(?<token>[A-Za-z0-9_.-]+)")]
    private static partial Regex LinkPattern();
}
