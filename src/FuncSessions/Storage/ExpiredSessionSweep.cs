using Azure;
using Azure.Data.Tables;
using FuncSessions.Sessions;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Storage;

/// <summary>What one sweep did.</summary>
/// <param name="TokensDeleted">Expired one-time tokens (email links) deleted by the same run (<see cref="ExpiredTokenSweep"/>).</param>
public sealed record SweepResult(int Deleted, int AlreadyGone, int StillLive, int TokensDeleted = 0);

/// <summary>
/// Deletes expired sessions through the expiry index. Each index entry carries the session's ETag from when it was
/// indexed, so an untouched session is deleted with one conditional delete and no read (≈1.01 storage calls per
/// expired session). A 412 means the session was refreshed since: it is read, deleted if its deadline has passed,
/// or re-indexed at its new deadline. Safe to run twice at once: every step is conditional or idempotent.
/// </summary>
public sealed class ExpiredSessionSweep(TableClients tables, ExpiredTokenSweep tokens, TimeProvider time, ILogger<ExpiredSessionSweep> logger)
{
    private const int PageSize = 1000;
    private const int Parallelism = 16;

    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"x"} and PartitionKey lt {ExpiryIndex.CurrentBucket(now)}");
        int deleted = 0, gone = 0, live = 0;

        await foreach (var page in tables.SessionExpiry
            .QueryAsync<TableEntity>(filter, PageSize, ["PartitionKey", "RowKey", ExpiryIndex.SessionVersionProperty], cancellationToken)
            .AsPages())
        {
            await Parallel.ForEachAsync(page.Values, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (entry, ct) =>
                {
                    switch (await SweepOneAsync(entry, now, ct))
                    {
                        case Outcome.Deleted: Interlocked.Increment(ref deleted); break;
                        case Outcome.AlreadyGone: Interlocked.Increment(ref gone); break;
                        default: Interlocked.Increment(ref live); break;
                    }
                });

            foreach (var bucket in page.Values.GroupBy(e => e.PartitionKey))
            {
                await TableBatches.DeleteAsync(tables.SessionExpiry, bucket.Key, bucket.Select(e => e.RowKey).ToList(), cancellationToken);
            }
        }

        var result = new SweepResult(deleted, gone, live, await tokens.RunAsync(cancellationToken));
        logger.SweepCompleted(result.Deleted, result.AlreadyGone, result.StillLive, result.TokensDeleted);
        return result;
    }

    private async Task<Outcome> SweepOneAsync(TableEntity entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ExpiryIndex.ParseRowKey(entry.RowKey) is not var (userId, sessionId))
        {
            return Outcome.AlreadyGone;
        }

        var rowKey = TableSessionStore.SessionRowKey(sessionId);
        try
        {
            var version = entry.GetString(ExpiryIndex.SessionVersionProperty);
            var response = await tables.Sessions.DeleteEntityAsync(userId, rowKey, version is null ? ETag.All : new ETag(version), cancellationToken);
            return response.Status == 404 ? Outcome.AlreadyGone : Outcome.Deleted;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            var current = await tables.Sessions.GetEntityIfExistsAsync<TableSessionStore.SessionEntity>(userId, rowKey, cancellationToken: cancellationToken);
            if (!current.HasValue)
            {
                return Outcome.AlreadyGone;
            }

            var session = current.Value!.ToSession();
            if (TableSessionStore.StoredDeadline(session) > now)
            {
                await TableSessionStore.AddIndexEntryAsync(tables, session, cancellationToken);
                return Outcome.StillLive;
            }

            try
            {
                var response = await tables.Sessions.DeleteEntityAsync(userId, rowKey, new ETag(session.Version), cancellationToken);
                return response.Status == 404 ? Outcome.AlreadyGone : Outcome.Deleted;
            }
            catch (RequestFailedException conflict) when (conflict.Status == 412)
            {
                // Note: an expired session cannot be refreshed, so only another sweep or a logout changes it now.
                return Outcome.AlreadyGone;
            }
        }
    }

    private enum Outcome
    {
        Deleted,
        AlreadyGone,
        StillLive,
    }
}
