using Azure.Data.Tables;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;
using FuncSessions.Storage;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>
/// The expiry index spreads each hour over <c>FuncSessions:Storage:ExpiryIndexShards</c> partitions (default 10), and
/// the sweep still finds every entry: sharded ones of this and past hours, and the unsharded buckets earlier versions wrote.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ExpiryShardTests(AzuriteFixture fixture)
{
    private static readonly ClientInfo Client = new("shard-test", "127.0.0.1");

    [Fact]
    public async Task Entries_SpreadOverTheHoursShards_AndTheSweepDeletesThemAll_WithTheOldUnshardedBuckets()
    {
        await using var server = await SelfHostServer.StartAsync(fixture.Azurite, new Dictionary<string, string?>
        {
            ["FuncSessions:Sessions:IdleTimeout"] = "00:10:00",
        });
        var issuer = server.Services.GetRequiredService<SessionIssuer>();
        var tables = server.Services.GetRequiredService<TableClients>();
        var sessions = new List<Session>();
        for (var i = 0; i < 40; i++)
        {
            sessions.Add((await issuer.IssueAsync(await SweepTests.NewUserAsync(server), Client, CancellationToken.None))!.Session);
        }

        // Two sessions indexed as earlier versions did: unsharded buckets, one of a past hour and one of this hour.
        var store = server.Services.GetRequiredService<ISessionStore>();
        var old = new List<Session>();
        foreach (var deadline in new[] { server.Time.GetUtcNow().AddHours(-2), server.Time.GetUtcNow().AddMinutes(5) })
        {
            var session = await store.CreateAsync(
                sessions[0] with { UserId = SecureIds.NewId(), SessionId = SecureIds.NewId(), IdleExpiresAt = deadline, Version = "" }, CancellationToken.None);
            var rowKey = session.UserId + "|" + session.SessionId;
            var sharded = (await tables.SessionExpiry.QueryAsync<TableEntity>(e => e.RowKey == rowKey).ToListAsync()).Single();
            await tables.SessionExpiry.DeleteEntityAsync(sharded.PartitionKey, sharded.RowKey);
            await tables.SessionExpiry.UpsertEntityAsync(new TableEntity("x" + deadline.UtcDateTime.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture), rowKey)
            {
                ["SessionVersion"] = session.Version,
                ["Deadline"] = deadline,
            });
            old.Add(session);
        }

        var partitions = (await tables.SessionExpiry.QueryAsync<TableEntity>().ToListAsync()).Select(e => e.PartitionKey).Distinct().ToList();
        Assert.True(partitions.Count(p => p.StartsWith("x2026030208-", StringComparison.Ordinal)) >= 5, string.Join(", ", partitions));

        server.Time.Advance(TimeSpan.FromMinutes(12));
        var result = await server.Services.GetRequiredService<ExpiredSessionSweep>().RunAsync(CancellationToken.None);

        Assert.Equal(42, result.Deleted);
        foreach (var session in sessions.Concat(old))
        {
            Assert.Null(await store.FindAsync(session.UserId, session.SessionId, CancellationToken.None));
        }

        Assert.Empty(await tables.SessionExpiry.QueryAsync<TableEntity>().ToListAsync());
    }
}
