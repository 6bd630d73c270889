using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>Case 24: per-account lockout that cannot be told apart from "no such account", and per-address throttling.</summary>
public sealed class BruteForceTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const string WrongPassword = "not the right passphrase";

    [Fact]
    public async Task Case24_TenFailures_LockTheAccount_EvenForTheRightPassword_ThenTheCoolDownEnds_AndSuccessClearsTheCount()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var failed = await client.PostAsync("/api/auth/login", new { username, password = WrongPassword });
            statuses.Add(failed.StatusCode);
            Server.Time.Advance(TimeSpan.FromMinutes(1));
        }

        using var locked = await client.PostAsync("/api/auth/login", new { username, password = Password });

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        // The tenth failure was a minute ago: 14 minutes of the 15-minute cool-down remain.
        Assert.Equal(TimeSpan.FromMinutes(14), locked.Headers.RetryAfter?.Delta);
        Assert.Empty(client.Cookies);

        Server.Time.Advance(TimeSpan.FromMinutes(14));
        await LoginAsync(client, username);

        // The success cleared the count: had it not, the next failure would lock the account again at once.
        for (var i = 0; i < 4; i++)
        {
            using var failed = await client.PostAsync("/api/auth/login", new { username, password = WrongPassword });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        await LoginAsync(client, username);
    }

    [Fact]
    public async Task Case24_ProgressiveDelay_FromTheFifthFailure_RefusesEarlyAttemptsWithoutCountingThem()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.PostAsync("/api/auth/login", new { username, password = WrongPassword });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var early = await client.PostAsync("/api/auth/login", new { username, password = Password });
        Server.Time.Advance(TimeSpan.FromSeconds(1));
        var login = await LoginAsync(client, username);

        await early.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.Equal(TimeSpan.FromSeconds(1), early.Headers.RetryAfter?.Delta);
        Assert.Equal(username, (string?)login["username"]);
    }

    [Fact]
    public async Task Case24_LockedUnknownName_AnswersExactlyLikeALockedAccount()
    {
        using var client = Server.CreateClient();
        var existing = await RegisterAsync(client);
        var unknown = NewUsername();
        for (var i = 0; i < 10; i++)
        {
            (await client.PostAsync("/api/auth/login", new { username = existing, password = WrongPassword })).Dispose();
            (await client.PostAsync("/api/auth/login", new { username = unknown, password = WrongPassword })).Dispose();
            Server.Time.Advance(TimeSpan.FromMinutes(1));
        }

        using var lockedExisting = await client.PostAsync("/api/auth/login", new { username = existing, password = Password });
        using var lockedUnknown = await client.PostAsync("/api/auth/login", new { username = unknown, password = Password });

        await lockedExisting.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.Equal(await lockedExisting.Content.ReadAsStringAsync(), await lockedUnknown.Content.ReadAsStringAsync());
        Assert.Equal(Describe(lockedExisting), Describe(lockedUnknown));
    }

    [Fact]
    public async Task Case24_OtherAccounts_AreUnaffected_AndTheLockoutIsAudited()
    {
        using var client = Server.CreateClient();
        var victim = await RegisterAsync(client);
        var bystander = await RegisterAsync(client);
        for (var i = 0; i < 10; i++)
        {
            (await client.PostAsync("/api/auth/login", new { username = victim, password = WrongPassword })).Dispose();
            Server.Time.Advance(TimeSpan.FromMinutes(1));
        }

        using var refused = await client.PostAsync("/api/auth/login", new { username = victim, password = Password });
        var login = await LoginAsync(client, bystander);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(bystander, (string?)login["username"]);
        var throttled = Assert.Single(Server.Logs.Entries, e => e.EventId.Id == 5001);
        Assert.Equal("AccountThrottled", throttled.EventId.Name);
        Assert.Contains("after 10 consecutive failures", throttled.Text, StringComparison.Ordinal);
        Assert.Equal(10, Server.Logs.Entries.Count(e => e.EventId.Id == 1003));
    }

    /// <summary>Status and headers a client could compare, without the ones that change per response.</summary>
    internal static string Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} " + string.Join("; ", response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Content-Length"))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
}

/// <summary>
/// Case 24, per client address: failed logins and refreshes presenting an unknown token count; successes, refreshes
/// presenting no token and registrations do not.
/// </summary>
public sealed class ClientThrottleTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Throttling:ClientLimit"] = "5",
        ["FuncSessions:Http:ForwardedForHeader"] = "X-Forwarded-For",
        ["FuncSessions:Http:ForwardedForHops"] = "1",
    };

    [Fact]
    public async Task Case24_ClientAddress_IsThrottledAfterTheLimit_AcrossAccounts_UntilTheWindowEnds()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        client.Headers["X-Forwarded-For"] = "198.51.100.7";
        for (var i = 0; i < 4; i++)
        {
            using var failed = await client.PostAsync("/api/auth/login", new { username = NewUsername(), password = Password });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        // A refresh presenting no token is no guess; one presenting an unknown token is.
        using var anonymousRefresh = await client.PostAsync("/api/auth/refresh");
        client.Cookies[TokenDelivery.RefreshTokenCookie] = "not-a-refresh-token";
        using var failedRefresh = await client.PostAsync("/api/auth/refresh");
        using var refused = await client.PostAsync("/api/auth/login", new { username, password = Password });

        await anonymousRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        await failedRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.Equal(TimeSpan.FromMinutes(15), refused.Headers.RetryAfter?.Delta);
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 5002 && e.Text.Contains("198.51.100.7", StringComparison.Ordinal));

        Server.Time.Advance(TimeSpan.FromMinutes(15));
        await LoginAsync(client, username);
    }

    [Fact]
    public async Task Case24_ForwardedFor_UsesTheTrustedProxysEntry_NotOnesTheClientWrote()
    {
        using var attacker = Server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            // The client writes a different address each time; the trusted proxy appends the real one last.
            attacker.Headers["X-Forwarded-For"] = $"10.0.0.{i}, 203.0.113.9";
            (await attacker.PostAsync("/api/auth/login", new { username = NewUsername(), password = Password })).Dispose();
        }

        using var refused = await attacker.PostAsync("/api/auth/login", new { username = NewUsername(), password = Password });
        using var other = Server.CreateClient();
        var username = await RegisterAsync(other);
        other.Headers["X-Forwarded-For"] = "203.0.113.10";
        await LoginAsync(other, username);
        using var sessions = await other.GetAsync("/api/auth/sessions");

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_requests");
        var session = (await sessions.JsonAsync())["sessions"]!.AsArray().Single()!.AsObject();
        Assert.Equal("203.0.113.10", (string?)session["ipAddress"]);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("203.0.113.9, not-an-address")]
    public async Task Case24_AForwardedForEntryThatIsNoAddress_IsStillThrottled_AsTheConnectionsAddress(string entry)
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        client.Headers["X-Forwarded-For"] = entry;
        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.PostAsync("/api/auth/login", new { username = NewUsername(), password = Password });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var refused = await client.PostAsync("/api/auth/login", new { username, password = Password });
        client.Headers.Remove("X-Forwarded-For");
        using var sameAddress = await client.PostAsync("/api/auth/login", new { username, password = Password });

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_requests");
        await sameAddress.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_requests");
    }

    [Fact]
    public async Task Case24_SuccessfulLoginsAndRefreshes_DoNotCount()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        for (var i = 0; i < 8; i++)
        {
            await LoginAsync(client, username);
            using var refresh = await client.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        Assert.DoesNotContain(Server.Logs.Entries, e => e.EventId.Id is 5002 or 5003);
    }
}
