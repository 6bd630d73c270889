using Azure.Data.Tables;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.SecondFactors;
using FuncSessions.Storage;

namespace FuncSessions.IntegrationTests.SecondFactors;

/// <summary>
/// Spent-challenge markers (second-factor logins, passkey ceremonies) are swept once their challenge has been expired
/// for an hour (<see cref="ExpiredChallengeMarkerSweep"/>), so the Factors table does not keep one row for every
/// ceremony ever completed; a marker whose challenge may still open stays, and no user's factor row is touched.
/// </summary>
public sealed class ChallengeMarkerSweepTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task SpentMarkers_AreDeleted_AnHourAfterTheirChallengeExpired_AndNothingElseInTheTable()
    {
        var store = Server.Services.GetRequiredService<IFactorStore>();
        var factors = Server.Services.GetRequiredService<TableClients>().Factors;
        var sweep = Server.Services.GetRequiredService<ExpiredSessionSweep>();
        var now = Server.Time.GetUtcNow();
        Assert.True(await store.TryMarkSpentAsync("expired-two-hours-ago", now - TimeSpan.FromHours(2), CancellationToken.None));
        Assert.True(await store.TryMarkSpentAsync("expired-ten-minutes-ago", now - TimeSpan.FromMinutes(10), CancellationToken.None));
        Assert.True(await store.TryMarkSpentAsync("still-open", now + TimeSpan.FromMinutes(5), CancellationToken.None));
        // Note: a user id may begin with "x": its rows sort right beside the markers' key range and must stay.
        await factors.AddEntityAsync(new TableEntity("xUserBesideTheMarkers", "totp"));

        var first = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal(1, first.ChallengeMarkersDeleted);
        Assert.Equal(["xUserBesideTheMarkers", "x|expired-ten-minutes-ago", "x|still-open"], await PartitionsAsync(factors));
        Assert.False(await store.TryMarkSpentAsync("still-open", now + TimeSpan.FromMinutes(5), CancellationToken.None));

        Server.Time.Advance(TimeSpan.FromHours(2));
        var second = await sweep.RunAsync(CancellationToken.None);
        var third = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal(2, second.ChallengeMarkersDeleted);
        Assert.Equal(0, third.ChallengeMarkersDeleted);
        Assert.Equal(["xUserBesideTheMarkers"], await PartitionsAsync(factors));
    }

    private static async Task<List<string>> PartitionsAsync(TableClient table) =>
        (await table.QueryAsync<TableEntity>(select: ["PartitionKey"]).ToListAsync()).Select(e => e.PartitionKey).Order(StringComparer.Ordinal).ToList();
}
