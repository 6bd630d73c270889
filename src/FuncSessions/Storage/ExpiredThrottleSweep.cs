using Azure;
using Azure.Data.Tables;
using FuncSessions.Throttling;

namespace FuncSessions.Storage;

/// <summary>
/// Deletes expired throttle rows through their expiry entries (<see cref="ThrottleExpiryIndex"/>), as
/// <see cref="ExpiredSessionSweep"/> does sessions: an untouched row costs one delete conditional on the ETag in its
/// entry. A 412 means a later failure changed it: it is read, deleted if it has expired by now, else re-indexed at its
/// new expiry. Only past hours' buckets are read; a row outlives its expiry by at most an hour and a schedule period.
/// </summary>
public sealed class ExpiredThrottleSweep(TableClients tables, TimeProvider time)
{
    private const int PageSize = 1000;
    private const int Parallelism = 16;

    /// <summary>Returns how many expired throttle rows were deleted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {ThrottleExpiryIndex.Prefix} and PartitionKey lt {ThrottleExpiryIndex.Bucket(now)}");
        var deleted = 0;
        await foreach (var page in tables.SessionExpiry
            .QueryAsync<TableEntity>(filter, PageSize, ["PartitionKey", "RowKey", ThrottleExpiryIndex.VersionProperty, ThrottleExpiryIndex.LifetimeProperty], cancellationToken)
            .AsPages())
        {
            await Parallel.ForEachAsync(page.Values, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (entry, ct) =>
                {
                    if (await SweepOneAsync(entry, now, ct))
                    {
                        Interlocked.Increment(ref deleted);
                    }
                });

            // Note: a re-indexed row's new entry is in the current hour's bucket or later, never in one read here.
            foreach (var bucket in page.Values.GroupBy(e => e.PartitionKey))
            {
                await TableBatches.DeleteAsync(tables.SessionExpiry, bucket.Key, bucket.Select(e => e.RowKey).ToList(), cancellationToken);
            }
        }

        return deleted;
    }

    private async Task<bool> SweepOneAsync(TableEntity entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = entry.RowKey;
        var lifetime = TimeSpan.FromSeconds(entry.GetInt64(ThrottleExpiryIndex.LifetimeProperty) ?? 0);
        try
        {
            var version = entry.GetString(ThrottleExpiryIndex.VersionProperty);
            var response = await tables.Throttles.DeleteEntityAsync(key, key, version is { Length: > 0 } ? new ETag(version) : ETag.All, cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            var current = await tables.Throttles.GetEntityIfExistsAsync<TableThrottleStore.ThrottleEntity>(key, key, cancellationToken: cancellationToken);
            if (!current.HasValue)
            {
                return false;
            }

            var counter = current.Value!.ToCounter();
            if (ThrottleExpiryIndex.ExpiresAt(counter, lifetime) > now)
            {
                await tables.SessionExpiry.UpsertEntityAsync(ThrottleExpiryIndex.Entry(counter, lifetime), TableUpdateMode.Replace, cancellationToken);
                return false;
            }

            try
            {
                var response = await tables.Throttles.DeleteEntityAsync(key, key, new ETag(counter.Version), cancellationToken);
                return response.Status != 404;
            }
            catch (RequestFailedException conflict) when (conflict.Status == 412)
            {
                // Note: written again this instant: that writer indexes it if its count survives.
                await tables.SessionExpiry.UpsertEntityAsync(ThrottleExpiryIndex.Entry(counter, lifetime), TableUpdateMode.Replace, cancellationToken);
                return false;
            }
        }
    }
}
