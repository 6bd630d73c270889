using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests;

/// <summary>Idle and absolute lifetimes are enforced by the server whatever the cookies say.</summary>
public sealed class ExpiryTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Refresh_AfterTheIdleTimeout_IsRefused()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;

        Server.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        using var refresh = await client.PostAsync("/api/auth/refresh");

        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
    }

    [Fact]
    public async Task Refresh_KeepsAnActiveSessionAlive_ButNeverPastTheAbsoluteLifetime()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;

        for (var day = 6; day < 30; day += 6)
        {
            Server.Time.Advance(TimeSpan.FromDays(6));
            using var refresh = await client.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        Server.Time.Advance(TimeSpan.FromDays(6));
        using var expired = await client.PostAsync("/api/auth/refresh");
        await expired.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
    }

    [Fact]
    public async Task Validate_RefusesAnAccessTokenPastItsExpiry_AfterThirtySecondsOfSkew()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;

        Server.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(20));
        using var withinSkew = await client.GetAsync("/api/auth/validate");
        Server.Time.Advance(TimeSpan.FromSeconds(15));
        using var pastSkew = await client.GetAsync("/api/auth/validate");

        Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
        await pastSkew.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }
}
