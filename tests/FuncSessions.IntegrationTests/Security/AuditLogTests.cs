using System.Net;
using System.Text;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;
using Microsoft.Extensions.Logging;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>
/// Case 40 and the audit parts of cases 1, 14, 16 and 24: security events carry hashed ids, the client address and
/// user agent, never a secret. Every self-host a test starts captures all its logs and fails the test when it stops if
/// any secret its clients saw appears in them (<see cref="SelfHostServer.LeakedSecrets"/>); these tests show that
/// check works and that the events are there.
/// </summary>
public sealed class AuditLogTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const string UserAgent = "AuditTest/1.0";

    [Fact]
    public async Task Case40_TheLeakCheck_FindsAPlantedSecret()
    {
        var (client, _, login) = await SignedInClientAsync();
        var sessionId = (string)login["sessionId"]!;
        Assert.Empty(Server.LeakedSecrets());

        // A deliberate leak through the host's own logging: exactly what the check must catch.
        var logger = Server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Planted");
        logger.LogInformation("session {Id} cookie {Cookie}", sessionId, client.Cookies["__Host-fs-rt"]);
        var leaks = Server.LeakedSecrets();

        Assert.Contains(leaks, l => l.StartsWith("raw id in Planted", StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.StartsWith("token in Planted", StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.StartsWith("token part in Planted", StringComparison.Ordinal));
        Server.Secrets.Clear();
    }

    [Fact]
    public async Task Case40_EveryEndpoint_LogsAuditEventsWithHashes_AndNoSecret()
    {
        var (client, username, login) = await SignedInClientAsync();
        client.Headers["User-Agent"] = UserAgent;
        var sessionId = (string)login["sessionId"]!;
        using var phone = Server.CreateClient();
        var phoneLogin = await LoginAsync(phone, username);

        (await client.GetAsync("/api/auth/validate")).Dispose();
        (await client.PostAsync("/api/auth/refresh")).Dispose();
        (await client.GetAsync("/api/auth/sessions")).Dispose();
        (await client.DeleteAsync($"/api/auth/sessions/{(string?)phoneLogin["sessionId"]}")).Dispose();
        (await client.PostAsync("/api/auth/login", new { username, password = "not the right passphrase" })).Dispose();
        var changed = await client.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = "a brand new passphrase" });
        var newSessionId = (string)(await changed.JsonAsync())["sessionId"]!;
        changed.Dispose();
        (await client.PostAsync("/api/auth/logout")).Dispose();

        var events = Server.Logs.Entries.Where(e => e.Category.StartsWith("FuncSessions", StringComparison.Ordinal)).ToList();
        Assert.Contains(events, e => e.EventId.Id == 1002 && e.Text.Contains(UserAgent, StringComparison.Ordinal) && e.Text.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(events, e => e.EventId.Id == 1003 && e.Text.Contains(UserAgent, StringComparison.Ordinal));
        Assert.Contains(events, e => e.EventId.Id == 1005);
        Assert.Contains(events, e => e.EventId.Id == 2002 && e.Text.Contains(Hash(sessionId), StringComparison.Ordinal));
        Assert.Contains(events, e => e.EventId.Id == 2005 && e.Text.Contains(Hash((string)phoneLogin["sessionId"]!), StringComparison.Ordinal));
        Assert.Contains(events, e => e.EventId.Id == 5007 && e.Text.Contains(Hash(newSessionId), StringComparison.Ordinal));
        Assert.Empty(Server.LeakedSecrets());
    }

    [Fact]
    public async Task Case1_AlgNoneToken_IsRejected_AndAuditedAsTokenRejected()
    {
        using var client = Server.CreateClient();
        client.Headers["User-Agent"] = UserAgent;
        var header = Base64Url("""{"alg":"none","typ":"at+jwt"}""");
        var payload = Base64Url("""{"sub":"AAAAAAAAAAAAAAAAAAAAAA","sid":"BBBBBBBBBBBBBBBBBBBBBB","exp":4102444800}""");
        client.BearerToken = $"{header}.{payload}.";

        using var response = await client.GetAsync("/api/auth/validate");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        var rejected = Assert.Single(Server.Logs.Entries, e => e.EventId.Id == 5004);
        Assert.Equal("TokenRejected", rejected.EventId.Name);
        Assert.Contains(UserAgent, rejected.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(payload, rejected.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case14_Refresh_IsAuditedAsSessionRefreshed_WithTheSessionHash()
    {
        var (client, _, login) = await SignedInClientAsync();

        using var refresh = await client.PostAsync("/api/auth/refresh");

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var refreshed = Assert.Single(Server.Logs.Entries, e => e.EventId.Id == 2002);
        Assert.Contains(Hash((string)login["sessionId"]!), refreshed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case16_Reuse_IsAuditedWithTheSessionHash_ClientAddressAndUserAgent()
    {
        var (client, _, login) = await SignedInClientAsync();
        client.Headers["User-Agent"] = UserAgent;
        var stolen = client.Cookies["__Host-fs-rt"];
        (await client.PostAsync("/api/auth/refresh")).Dispose();
        Server.Time.Advance(TimeSpan.FromMinutes(1));

        using var thief = Server.CreateClient();
        thief.Headers["User-Agent"] = "Thief/2.0";
        thief.Cookies["__Host-fs-rt"] = stolen;
        using var replay = await thief.PostAsync("/api/auth/refresh");

        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        var reuse = Assert.Single(Server.Logs.Entries, e => e.EventId.Id == 2004);
        Assert.Equal("RefreshReuseDetected", reuse.EventId.Name);
        Assert.Contains(Hash((string)login["sessionId"]!), reuse.Text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", reuse.Text, StringComparison.Ordinal);
        Assert.Contains("Thief/2.0", reuse.Text, StringComparison.Ordinal);
    }

    private string Hash(string id) => Server.Services.GetRequiredService<LogHash>().Of(id);

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
