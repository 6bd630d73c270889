using Azure;
using Azure.Data.Tables;
using FuncSessions.Sessions;
using FuncSessions.Admin;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Storage;

/// <summary>What one sweep did.</summary>
/// <param name="TokensDeleted">Expired one-time tokens (email links) deleted by the same run (<see cref="ExpiredTokenSweep"/>).</param>
/// <param name="ThrottlesDeleted">Expired throttle rows deleted by the same run (<see cref="ExpiredThrottleSweep"/>).</param>
/// <param name="ChallengeMarkersDeleted">Spent-challenge markers deleted by the same run (<see cref="ExpiredChallengeMarkerSweep"/>).</param>
public sealed record SweepResult(int Deleted, int AlreadyGone, int StillLive, int TokensDeleted = 0, int ThrottlesDeleted = 0, int ChallengeMarkersDeleted = 0);

/// <summary>
/// Deletes expired sessions through the expiry index. Each index entry carries the session's ETag from when it was
/// indexed, so an untouched session is deleted with one conditional delete and no read (≈1.01 storage calls per
/// expired session). A 412 means the session was refreshed since: it is read, deleted if its deadline has passed,
/// or re-indexed at its new deadline. Safe to run twice at once: every step is conditional or idempotent.
/// </summary>
/// <remarks>
/// Note: the buckets of past hours are read whole; the current hour's bucket only for entries whose recorded deadline
/// has passed, a filter the service applies, so a short schedule deletes sessions within one run of their expiry and
/// the entries not yet due are never transferred (one more query per run, whatever their number).
/// </remarks>
public sealed class ExpiredSessionSweep(
    TableClients tables, ExpiredTokenSweep tokens, ExpiredThrottleSweep throttles, ExpiredChallengeMarkerSweep challengeMarkers,
    TimeProvider time, ILogger<ExpiredSessionSweep> logger, FuncSessionsMetrics? metrics = null)
{
    private const int PageSize = 1000;
    private const int Parallelism = 16;

    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = ExpiryIndex.CurrentBucket(now);
        var tally = new Tally();
        await SweepAsync(TableClient.CreateQueryFilter($"PartitionKey ge {"x"} and PartitionKey lt {current}"), now, tally, cancellationToken);
        // Note: a property name is not a value, so it is joined in, not interpolated (which would quote it as a string).
        await SweepAsync(
            TableClient.CreateQueryFilter($"PartitionKey ge {current} and PartitionKey lt {ExpiryIndex.AfterHour(current)} and ")
                + ExpiryIndex.DeadlineProperty + TableClient.CreateQueryFilter($" le {now}"),
            now, tally, cancellationToken);

        var result = new SweepResult(tally.Deleted, tally.Gone, tally.Live, await tokens.RunAsync(cancellationToken),
            await throttles.RunAsync(cancellationToken), await challengeMarkers.RunAsync(cancellationToken));
        metrics?.SweepDeleted(result.Deleted);
        logger.SweepCompleted(result.Deleted, result.AlreadyGone, result.StillLive, result.TokensDeleted);
        logger.ThrottleSweepCompleted(result.ThrottlesDeleted);
        logger.ChallengeMarkerSweepCompleted(result.ChallengeMarkersDeleted);
        return result;
    }

    private async Task SweepAsync(string filter, DateTimeOffset now, Tally tally, CancellationToken cancellationToken)
    {
        await foreach (var page in tables.SessionExpiry
            .QueryAsync<TableEntity>(filter, PageSize, ["PartitionKey", "RowKey", ExpiryIndex.SessionVersionProperty], cancellationToken)
            .AsPages())
        {
            // Note: a session refreshed to a deadline later in the current hour is re-indexed under the same keys, so
            // that entry is the new one and must outlive the clean-up of the page.
            var reindexedInPlace = new System.Collections.Concurrent.ConcurrentDictionary<(string, string), bool>();
            await Parallel.ForEachAsync(page.Values, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (entry, ct) =>
                {
                    var (outcome, bucket) = await SweepOneAsync(entry, now, ct);
                    switch (outcome)
                    {
                        case Outcome.Deleted: Interlocked.Increment(ref tally.Deleted); break;
                        case Outcome.AlreadyGone: Interlocked.Increment(ref tally.Gone); break;
                        default: Interlocked.Increment(ref tally.Live); break;
                    }

                    if (bucket == entry.PartitionKey)
                    {
                        reindexedInPlace[(entry.PartitionKey, entry.RowKey)] = true;
                    }
                });

            foreach (var bucket in page.Values.Where(e => !reindexedInPlace.ContainsKey((e.PartitionKey, e.RowKey))).GroupBy(e => e.PartitionKey))
            {
                await TableBatches.DeleteAsync(tables.SessionExpiry, bucket.Key, bucket.Select(e => e.RowKey).ToList(), cancellationToken);
            }
        }
    }

    /// <returns>What happened to the session, and the bucket it was re-indexed in when it is still live.</returns>
    private async Task<(Outcome Outcome, string? Bucket)> SweepOneAsync(TableEntity entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ExpiryIndex.ParseRowKey(entry.RowKey) is not var (userId, sessionId))
        {
            return (Outcome.AlreadyGone, null);
        }

        var rowKey = SessionRow.Key(sessionId);
        try
        {
            var version = entry.GetString(ExpiryIndex.SessionVersionProperty);
            var response = await tables.Sessions.DeleteEntityAsync(userId, rowKey, version is null ? ETag.All : new ETag(version), cancellationToken);
            return (response.Status == 404 ? Outcome.AlreadyGone : Outcome.Deleted, null);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            var current = await tables.Sessions.GetEntityIfExistsAsync<TableEntity>(userId, rowKey, cancellationToken: cancellationToken);
            if (!current.HasValue)
            {
                return (Outcome.AlreadyGone, null);
            }

            var session = SessionRow.ToSession(current.Value!);
            var deadline = TableSessionStore.StoredDeadline(session);
            if (deadline > now)
            {
                await TableSessionStore.AddIndexEntryAsync(tables, session, cancellationToken);
                return (Outcome.StillLive, ExpiryIndex.Partition(deadline, sessionId, tables.ExpiryIndexShards));
            }

            try
            {
                var response = await tables.Sessions.DeleteEntityAsync(userId, rowKey, new ETag(session.Version), cancellationToken);
                return (response.Status == 404 ? Outcome.AlreadyGone : Outcome.Deleted, null);
            }
            catch (RequestFailedException conflict) when (conflict.Status == 412)
            {
                // Note: an expired session cannot be refreshed, so only another sweep or a logout changes it now.
                return (Outcome.AlreadyGone, null);
            }
        }
    }

    // Note: fields, so that the parallel workers can count with Interlocked.
    private sealed class Tally
    {
        public int Deleted;
        public int Gone;
        public int Live;
    }

    private enum Outcome
    {
        Deleted,
        AlreadyGone,
        StillLive,
    }
}
