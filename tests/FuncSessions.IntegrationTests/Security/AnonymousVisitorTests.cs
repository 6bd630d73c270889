using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>Issue 13.1: visitors without a session and sign-ups never spend the budget that guards login.</summary>
public sealed class AnonymousVisitorTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Http:ForwardedForHeader"] = "X-Forwarded-For",
    };

    [Fact]
    public async Task AThousandAnonymousValidateAndRefreshPairs_CostNoStorageCall_AndLeaveLoginWorking()
    {
        using var setup = Server.CreateClient();
        var username = await RegisterAsync(setup);
        var before = Server.StorageCalls;

        var refreshes = new List<HttpResponseMessage>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 16), async (_, _) =>
        {
            using var visitor = Server.CreateClient();
            for (var i = 0; i < 1000 / 16 + 1; i++)
            {
                using var validate = await visitor.GetAsync("/api/auth/validate");
                Assert.Equal(HttpStatusCode.Unauthorized, validate.StatusCode);
                var refresh = await visitor.PostAsync("/api/auth/refresh");
                lock (refreshes)
                {
                    refreshes.Add(refresh);
                }
            }
        });

        Assert.Equal(0, Server.StorageCalls - before);
        Assert.True(refreshes.Count >= 1000);
        foreach (var refresh in refreshes)
        {
            await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
            refresh.Dispose();
        }

        using var client = Server.CreateClient();
        await LoginAsync(client, username);
        Assert.DoesNotContain(Server.Logs.Entries, e => e.EventId.Id is 5002 or 5003 or 5005);
    }

    [Fact]
    public async Task AHundredRegistrationsFromOneAddress_LeaveLoginWorkingForAnExistingUser_AndTheBudgetIsItsOwn()
    {
        using var elsewhere = Server.CreateClient();
        elsewhere.Headers["X-Forwarded-For"] = "203.0.113.1";
        var existing = await RegisterAsync(elsewhere);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var office = Server.CreateClient();
            office.Headers["X-Forwarded-For"] = "198.51.100.7";
            using var response = await office.PostAsync("/api/auth/register", new { username = NewUsername(), password = Password });
            return response.StatusCode;
        }));

        using var client = Server.CreateClient();
        client.Headers["X-Forwarded-For"] = "198.51.100.7";
        using var overBudget = await client.PostAsync("/api/auth/register", new { username = NewUsername(), password = Password });
        var login = await LoginAsync(client, existing);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        await overBudget.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.Equal(TimeSpan.FromMinutes(15), overBudget.Headers.RetryAfter?.Delta);
        Assert.Equal(existing, (string?)login["username"]);
    }

    [Fact]
    public async Task ThePresenceHint_IsAReadableCookie_WithTheRefreshCookiesLifetime_ExpiredWithTheTokens()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;
        var loginCookies = client.LastSetCookies.ToList();
        var hint = Assert.Single(loginCookies, c => c.StartsWith(TokenDelivery.PresenceCookie + "=1;", StringComparison.Ordinal));
        var refreshCookie = Assert.Single(loginCookies, c => c.StartsWith(TokenDelivery.RefreshTokenCookie + "=", StringComparison.Ordinal));
        var attributes = hint.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();

        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.DoesNotContain("httponly", attributes);
        Assert.Equal(Expires(refreshCookie), Expires(hint));

        using var logout = await client.PostAsync("/api/auth/logout");
        Assert.Contains(client.LastSetCookies, c => c.StartsWith(TokenDelivery.PresenceCookie + "=;", StringComparison.Ordinal)
            && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(client.Cookies);
    }

    [Fact]
    public async Task ARefreshCookieWithoutTheHint_GetsTheHintBackFromValidate_AndTheServerNeverTrustsIt()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;
        client.Cookies.Remove(TokenDelivery.PresenceCookie);

        using var validate = await client.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        Assert.Equal("1", client.Cookies[TokenDelivery.PresenceCookie]);

        // A hint alone is no session.
        using var visitor = Server.CreateClient();
        visitor.Cookies[TokenDelivery.PresenceCookie] = "1";
        var before = Server.StorageCalls;
        using var refresh = await visitor.PostAsync("/api/auth/refresh");
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        Assert.Equal(0, Server.StorageCalls - before);
        Assert.Empty(visitor.Cookies);
    }

    private static string Expires(string setCookie) =>
        setCookie.Split(';').Select(a => a.Trim()).Single(a => a.StartsWith("expires=", StringComparison.OrdinalIgnoreCase));
}
