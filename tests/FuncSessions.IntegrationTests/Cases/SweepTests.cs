using Azure.Data.Tables;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Users;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>Case 37: the expired-session sweep, against real tables in Azurite.</summary>
public sealed class SweepTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private static readonly ClientInfo Client = new("sweep-test", "127.0.0.1");

    [Fact]
    public async Task Case37_Sweep_PagesBeyondAThousandExpiredSessions_AndDeletesNoLiveOne()
    {
        var expired = await CreateSessionsAsync(1_050);
        Server.Time.Advance(TimeSpan.FromDays(3));
        var live = await CreateSessionsAsync(20);
        Server.Time.Advance(TimeSpan.FromDays(4) + TimeSpan.FromHours(1));

        var result = await Server.Services.GetRequiredService<ExpiredSessionSweep>().RunAsync(CancellationToken.None);

        Assert.Equal(new SweepResult(1_050, 0, 0), result);
        var store = Server.Services.GetRequiredService<ISessionStore>();
        foreach (var session in expired.Take(50))
        {
            Assert.Null(await store.FindAsync(session.UserId, session.SessionId, CancellationToken.None));
        }

        foreach (var session in live)
        {
            Assert.NotNull(await store.FindAsync(session.UserId, session.SessionId, CancellationToken.None));
        }

        Assert.Equal(live.Count, await CountAsync(Server.Services.GetRequiredService<TableClients>().SessionExpiry));
    }

    [Fact]
    public async Task Case37_Sweep_KeepsARefreshedSession_AndIndexesItAtItsNewDeadline()
    {
        var issued = (await Server.Services.GetRequiredService<SessionIssuer>().IssueAsync(await NewUserAsync(Server), Client, CancellationToken.None))!;
        Server.Time.Advance(TimeSpan.FromDays(6));
        var refreshed = await Server.Services.GetRequiredService<RefreshTokenRotation>().RotateAsync(issued.RefreshToken.Value, Client, CancellationToken.None);
        Assert.Equal(RefreshOutcome.Rotated, refreshed.Outcome);
        Server.Time.Advance(TimeSpan.FromDays(2));
        var sweep = Server.Services.GetRequiredService<ExpiredSessionSweep>();

        var first = await sweep.RunAsync(CancellationToken.None);
        Server.Time.Advance(TimeSpan.FromDays(6));
        var second = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal(new SweepResult(0, 0, 1), first);
        Assert.Equal(new SweepResult(1, 0, 0), second);
        Assert.Null(await Server.Services.GetRequiredService<ISessionStore>().FindAsync(issued.Session.UserId, issued.Session.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task Case37_Sweep_TwoConcurrentRuns_DeleteEachExpiredSessionOnce_WithoutErrors()
    {
        var expired = await CreateSessionsAsync(300);
        Server.Time.Advance(TimeSpan.FromDays(8));
        var sweep = Server.Services.GetRequiredService<ExpiredSessionSweep>();

        var results = await Task.WhenAll(sweep.RunAsync(CancellationToken.None), sweep.RunAsync(CancellationToken.None));

        Assert.Equal(expired.Count, results.Sum(r => r.Deleted));
        Assert.Equal(0, await CountAsync(Server.Services.GetRequiredService<TableClients>().Sessions));
        Assert.Equal(0, await CountAsync(Server.Services.GetRequiredService<TableClients>().SessionExpiry));
    }

    [Fact]
    public async Task Case37_Sweep_TreatsLoggedOutSessions_AsAlreadyGone()
    {
        var sessions = await CreateSessionsAsync(3);
        var revocation = Server.Services.GetRequiredService<SessionRevocation>();
        await revocation.RevokeAsync(sessions[0].UserId, sessions[0].SessionId, CancellationToken.None);
        Server.Time.Advance(TimeSpan.FromDays(8));

        var result = await Server.Services.GetRequiredService<ExpiredSessionSweep>().RunAsync(CancellationToken.None);

        Assert.Equal(new SweepResult(2, 1, 0), result);
    }

    [Fact]
    public async Task Case37_Sweep_DeletesSessionsExpiredEarlierThisHour_KeepsTheRestOfTheBucket_AndCostsTheSameBesideThem()
    {
        // Arrange: a 10-minute idle timeout, so deadlines fall inside the hour the clock is in (08:00 UTC).
        // One expiry-index shard, so the two expired entries share a partition and the count below is exact
        // (ExpiryShardTests covers the sharded layout).
        await using var server = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["FuncSessions:Sessions:IdleTimeout"] = "00:10:00",
            ["FuncSessions:Storage:ExpiryIndexShards"] = "1",
        });
        var issuer = server.Services.GetRequiredService<SessionIssuer>();
        var store = server.Services.GetRequiredService<ISessionStore>();
        var sweep = server.Services.GetRequiredService<ExpiredSessionSweep>();
        var expiring = (await issuer.IssueAsync(await NewUserAsync(server), Client, CancellationToken.None))!.Session;
        var refreshed = (await issuer.IssueAsync(await NewUserAsync(server), Client, CancellationToken.None))!;
        server.Time.Advance(TimeSpan.FromMinutes(4));
        var rotated = await server.Services.GetRequiredService<RefreshTokenRotation>().RotateAsync(refreshed.RefreshToken.Value, Client, CancellationToken.None);
        Assert.Equal(RefreshOutcome.Rotated, rotated.Outcome);
        server.Time.Advance(TimeSpan.FromMinutes(2));
        var notYetDue = new List<Session>();
        for (var i = 0; i < 50; i++)
        {
            notYetDue.Add((await issuer.IssueAsync(await NewUserAsync(server), Client, CancellationToken.None))!.Session);
        }

        // Act: at 08:12, after the first session's deadline (08:10) and the refreshed one's first (08:10, now 08:14),
        // before those of the 50 (08:16); then at 08:15.
        server.Time.Advance(TimeSpan.FromMinutes(6));
        var callsBefore = server.StorageCalls;
        var first = await sweep.RunAsync(CancellationToken.None);
        var firstCalls = server.StorageCalls - callsBefore;
        var refreshedAfterFirst = await store.FindAsync(refreshed.Session.UserId, refreshed.Session.SessionId, CancellationToken.None);
        server.Time.Advance(TimeSpan.FromMinutes(3));
        var second = await sweep.RunAsync(CancellationToken.None);

        // Assert: two queries, the expired session's delete, the refreshed one's refused delete, read and re-index, one
        // index batch delete, then the one-time-token, throttle and challenge-marker sweeps' one (empty) query each; the
        // 50 entries of the same bucket that are not yet due cost nothing.
        Assert.Equal(new SweepResult(1, 0, 1), first);
        Assert.Equal(2 + 1 + 3 + 1 + 3, firstCalls);
        Assert.Null(await store.FindAsync(expiring.UserId, expiring.SessionId, CancellationToken.None));
        Assert.NotNull(refreshedAfterFirst);
        Assert.Equal(new SweepResult(1, 0, 0), second);
        Assert.Null(await store.FindAsync(refreshed.Session.UserId, refreshed.Session.SessionId, CancellationToken.None));
        foreach (var session in notYetDue)
        {
            Assert.NotNull(await store.FindAsync(session.UserId, session.SessionId, CancellationToken.None));
        }

        Assert.Equal(notYetDue.Count, await CountAsync(server.Services.GetRequiredService<TableClients>().SessionExpiry));
    }

    [Theory]
    [InlineData("0 */15 * * * *", 7)]
    [InlineData("0 0 0 1 1 *", 320)]
    public async Task Case37_SelfHost_RunsTheSweepOnItsSchedule(string schedule, int daysToAdvance)
    {
        await using var server = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["FuncSessionsSweepSchedule"] = schedule,
        });
        var issued = (await server.Services.GetRequiredService<SessionIssuer>().IssueAsync(await NewUserAsync(server), Client, CancellationToken.None))!;
        var store = server.Services.GetRequiredService<ISessionStore>();

        // Note: the background service waits on the fake clock; advancing past the idle deadline and the next
        // occurrence fires its timer, after which the sweep deletes the session. The yearly schedule is longer
        // than a single timer may wait, so it also proves the wait is taken in steps.
        server.Time.Advance(TimeSpan.FromDays(daysToAdvance) + TimeSpan.FromHours(2));
        var deleted = false;
        for (var attempt = 0; attempt < 100 && !deleted; attempt++)
        {
            await Task.Delay(50);
            deleted = await store.FindAsync(issued.Session.UserId, issued.Session.SessionId, CancellationToken.None) is null;
        }

        Assert.True(deleted, "The scheduled sweep did not delete the expired session.");
    }

    private async Task<List<Session>> CreateSessionsAsync(int count)
    {
        var issuer = Server.Services.GetRequiredService<SessionIssuer>();
        // Note: a few users with many sessions each, as partitions look in production.
        var users = new List<UserAccount>();
        for (var u = 0; u < Math.Min(count, 25); u++)
        {
            users.Add(await NewUserAsync(Server));
        }

        var sessions = new System.Collections.Concurrent.ConcurrentBag<Session>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            sessions.Add((await issuer.IssueAsync(users[i % users.Count], Client, ct))!.Session));
        return [.. sessions];
    }

    /// <summary>A stored user: sessions are only issued while the user row holds the credential they were issued under.</summary>
    internal static async Task<UserAccount> NewUserAsync(SelfHostServer server)
    {
        var name = "sweep" + Guid.NewGuid().ToString("N")[..12];
        var user = new UserAccount
        {
            UserId = SecureIds.NewId(),
            Key = UserKeys.ForUsername(name),
            Username = name,
            NormalizedUsername = name,
            PasswordHash = "unused",
            CreatedAt = server.Time.GetUtcNow(),
        };
        Assert.True(await server.Services.GetRequiredService<IUserStore>().TryCreateAsync(user, CancellationToken.None));
        return user;
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }
}
