using Azure;
using Azure.Data.Tables;
using FuncSessions.Throttling;

namespace FuncSessions.Storage;

/// <summary>
/// Throttle counters, one row per key (PartitionKey = RowKey = the key, a hex hash: see <see cref="ThrottleKeys"/>).
/// Every write is an insert or an ETag-conditional replace, so counts from many instances add up exactly. Rows whose
/// count survives are indexed (<see cref="ThrottleExpiryIndex"/>) and deleted by <see cref="ExpiredThrottleSweep"/>.
/// </summary>
public sealed class TableThrottleStore(TableClients tables) : IThrottleStore
{
    public async Task<ThrottleCounter> FindAsync(string key, CancellationToken cancellationToken)
    {
        var response = await tables.Throttles.GetEntityIfExistsAsync<ThrottleEntity>(key, key, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToCounter() : new ThrottleCounter { Key = key };
    }

    public async Task<ThrottleCounter?> TryWriteAsync(ThrottleCounter counter, CancellationToken cancellationToken)
    {
        var entity = ThrottleEntity.From(counter);
        try
        {
            var response = counter.Version.Length == 0
                ? await tables.Throttles.AddEntityAsync(entity, cancellationToken)
                : await tables.Throttles.UpdateEntityAsync(entity, new ETag(counter.Version), TableUpdateMode.Replace, cancellationToken);
            return counter with { Version = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return null;
        }
    }

    // Note: DeleteEntity answers a missing row with a 404 response instead of throwing.
    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        tables.Throttles.DeleteEntityAsync(key, key, ETag.All, cancellationToken);

    public async Task<bool> TryDeleteAsync(ThrottleCounter counter, CancellationToken cancellationToken)
    {
        try
        {
            var response = await tables.Throttles.DeleteEntityAsync(counter.Key, counter.Key, new ETag(counter.Version), cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    // Note: an upsert keyed by the row's key in its expiry hour, so repeated failures in one hour write the same entry.
    public Task IndexAsync(ThrottleCounter counter, TimeSpan lifetime, CancellationToken cancellationToken) =>
        tables.SessionExpiry.UpsertEntityAsync(ThrottleExpiryIndex.Entry(counter, lifetime), TableUpdateMode.Replace, cancellationToken);

    internal sealed class ThrottleEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public int Count { get; set; }

        public DateTimeOffset Since { get; set; }

        public DateTimeOffset? BlockedUntil { get; set; }

        public static ThrottleEntity From(ThrottleCounter counter) => new()
        {
            PartitionKey = counter.Key,
            RowKey = counter.Key,
            Count = counter.Count,
            Since = counter.Since,
            BlockedUntil = counter.BlockedUntil,
        };

        public ThrottleCounter ToCounter() => new()
        {
            Key = PartitionKey,
            Count = Count,
            Since = Since,
            BlockedUntil = BlockedUntil,
            Version = ETag.ToString(),
        };
    }
}
