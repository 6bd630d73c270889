using System.Net;
using Azure.Data.Tables;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Storage;
using FuncSessions.Throttling;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>
/// Throttle rows are swept like sessions (<see cref="ExpiredThrottleSweep"/>): a row whose count survives is indexed by
/// the write that counted it, and deleted once its window (addresses) or failure memory (accounts) has passed, so the
/// table does not grow with every address and name that ever failed once.
/// </summary>
public sealed class ThrottleSweepTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private TableClients Tables => Server.Services.GetRequiredService<TableClients>();

    private async Task<List<TableEntity>> RowsAsync(TableClient table, string? prefix = null) =>
        (await table.QueryAsync<TableEntity>().ToListAsync()).Where(e => prefix is null || e.PartitionKey.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task ASuccessfulLogin_LeavesNoThrottleRow_AndNoIndexEntry()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        var registrationRows = (await RowsAsync(Tables.Throttles)).Count;

        await LoginAsync(client, username);

        Assert.Equal(registrationRows, (await RowsAsync(Tables.Throttles)).Count);
        Assert.Equal(registrationRows, (await RowsAsync(Tables.SessionExpiry, "l")).Count);
    }

    [Fact]
    public async Task FailedLogins_AndRegistrations_LeaveIndexedRows_ThatTheSweepDeletesOnceTheyExpire_AndOnlyThen()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        for (var i = 0; i < 3; i++)
        {
            using var failed = await client.PostAsync("/api/auth/login", new { username, password = "not the right password" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var keys = new[] { ThrottleKeys.Account(username), ThrottleKeys.Client("127.0.0.1"), ThrottleKeys.Registrations("127.0.0.1") };
        Assert.Equal(keys.Order(), (await RowsAsync(Tables.Throttles)).Select(e => e.PartitionKey).Order());
        var sweep = Server.Services.GetRequiredService<ExpiredSessionSweep>();

        // The address's window (15 minutes) ends, and the hour after it: its two rows go, the account's stays.
        Server.Time.Advance(TimeSpan.FromHours(2));
        var first = await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(2, first.ThrottlesDeleted);
        Assert.Equal([keys[0]], (await RowsAsync(Tables.Throttles)).Select(e => e.PartitionKey));

        // A failure a day later restarts the account's count (forgotten) and changes its row: the sweep re-indexes it.
        Server.Time.Advance(TimeSpan.FromHours(23));
        using (var again = await client.PostAsync("/api/auth/login", new { username, password = "not the right password" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        }

        var account = await Tables.Throttles.GetEntityAsync<TableEntity>(keys[0], keys[0]);
        Assert.Equal(1, account.Value.GetInt32("Count"));
        Assert.Equal(0, (await sweep.RunAsync(CancellationToken.None)).ThrottlesDeleted);

        Server.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(2));
        Assert.Equal(2, (await sweep.RunAsync(CancellationToken.None)).ThrottlesDeleted);
        Assert.Empty(await RowsAsync(Tables.Throttles));
        Assert.Empty(await RowsAsync(Tables.SessionExpiry, "l"));
    }
}
