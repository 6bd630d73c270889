using System.Diagnostics;
using Azure.Data.Tables;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FuncSessions.Bench;

public sealed record SweepRow(int Live, int Expired, SweepResult Result, TimeSpan Wall, long StorageCalls)
{
    public double CallsPerExpired => (double)StorageCalls / Expired;
}

/// <summary>
/// Loads live and expired sessions into Azurite in their stored shape (session row + expiry-index entry with the
/// row's ETag, as <see cref="TableSessionStore.CreateAsync"/> writes them, but in entity-group batches so 100,000
/// rows load in a minute), then times <see cref="ExpiredSessionSweep.RunAsync"/> and counts its storage calls.
/// Expired sessions fall in the previous UTC hour's bucket, which is what a sweep every 15 minutes finds.
/// </summary>
public static class SweepBench
{
    private const int SessionsPerUser = 100;
    private const int LoadParallelism = 8;

    public static async Task<List<SweepRow>> RunAsync(
        string connection, IReadOnlyList<int> liveSizes, IReadOnlyList<int> expiredSizes, Action<string> log)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection })
            .Build();
        var counter = new StorageCallCounter();
        var prefix = "BenchSweep" + Guid.NewGuid().ToString("N")[..8];
        var tables = new TableClients(configuration, Options.Create(new StorageOptions { TablePrefix = prefix }), counter);
        await tables.CreateTablesIfMissingAsync(CancellationToken.None);
        var sweep = new ExpiredSessionSweep(
            tables, new ExpiredTokenSweep(tables, TimeProvider.System), new ExpiredThrottleSweep(tables, TimeProvider.System),
            new ExpiredChallengeMarkerSweep(tables, TimeProvider.System), TimeProvider.System,
            NullLogger<ExpiredSessionSweep>.Instance);

        var rows = new List<SweepRow>();
        var live = 0;
        foreach (var liveTarget in liveSizes)
        {
            log($"sweep: loading {liveTarget - live:N0} live sessions (total {liveTarget:N0})");
            await LoadAsync(tables, liveTarget - live, expired: false);
            live = liveTarget;
            foreach (var expired in expiredSizes)
            {
                log($"sweep: loading {expired:N0} expired sessions beside {live:N0} live ones");
                await LoadAsync(tables, expired, expired: true);
                var callsBefore = counter.Count;
                var started = Stopwatch.GetTimestamp();
                var result = await sweep.RunAsync(CancellationToken.None);
                var row = new SweepRow(live, expired, result, Stopwatch.GetElapsedTime(started), counter.Count - callsBefore);
                log($"sweep: {row}");
                rows.Add(row);
            }
        }

        foreach (var table in new[] { tables.Users, tables.Sessions, tables.SessionExpiry })
        {
            await table.DeleteAsync();
        }

        return rows;
    }

    private static async Task LoadAsync(TableClients tables, int count, bool expired)
    {
        var now = DateTimeOffset.UtcNow;
        var previousHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-1);
        var userCount = (count + SessionsPerUser - 1) / SessionsPerUser;
        var indexEntries = new System.Collections.Concurrent.ConcurrentBag<TableEntity>();

        await Parallel.ForEachAsync(Enumerable.Range(0, userCount), new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism }, async (user, ct) =>
        {
            var userId = SecureIds.NewId();
            var sessions = Enumerable.Range(0, Math.Min(SessionsPerUser, count - user * SessionsPerUser))
                .Select(_ => NewSession(userId, expired
                    ? previousHour + TimeSpan.FromSeconds(Random.Shared.Next(3600))
                    : now + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(Random.Shared.Next(7 * 24 * 3600))))
                .ToList();
            var response = await tables.Sessions.SubmitTransactionAsync(
                sessions.Select(s => new TableTransactionAction(TableTransactionActionType.Add, SessionRow.From(s))), ct);
            for (var i = 0; i < sessions.Count; i++)
            {
                var etag = response.Value[i].Headers.ETag ?? throw new InvalidOperationException("The batch response carries no ETag.");
                var session = sessions[i];
                indexEntries.Add(ExpiryIndex.Entry(
                    session.UserId, session.SessionId, TableSessionStore.StoredDeadline(session), etag.ToString(), tables.ExpiryIndexShards));
            }
        });

        var batches = indexEntries.GroupBy(e => e.PartitionKey).SelectMany(bucket => bucket.Chunk(100));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism }, async (batch, ct) =>
            await tables.SessionExpiry.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct));
    }

    private static Session NewSession(string userId, DateTimeOffset deadline) => new()
    {
        UserId = userId,
        SessionId = SecureIds.NewId(),
        Username = "sweep-bench",
        CreatedAt = deadline - TimeSpan.FromDays(7),
        LastSeenAt = deadline - TimeSpan.FromDays(7),
        IdleExpiresAt = deadline,
        AbsoluteExpiresAt = deadline + TimeSpan.FromDays(23),
        RefreshTokenHash = SecureIds.Hash(SecureIds.NewId()),
        UserAgent = "Mozilla/5.0 (X11; Linux x86_64) sweep-bench",
        IpAddress = "203.0.113.7",
    };
}
