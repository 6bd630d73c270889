using Azure;
using Azure.Data.Tables;

namespace FuncSessions.Storage;

/// <summary>
/// Deletes expired one-time tokens through their expiry entries, like <see cref="ExpiredSessionSweep"/>: each entry
/// carries the token row's ETag, so an expired token costs one conditional delete and no read. A 412 means a newer
/// token of that kind replaced the row; it has an entry of its own, so it is left alone. A 404: it was used.
/// </summary>
public sealed class ExpiredTokenSweep(TableClients tables, TimeProvider time)
{
    private const int PageSize = 1000;
    private const int Parallelism = 16;

    /// <summary>Returns how many expired tokens were deleted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var current = TokenExpiryIndex.Bucket(time.GetUtcNow());
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"t"} and PartitionKey lt {current}");
        var deleted = 0;
        await foreach (var page in tables.SessionExpiry
            .QueryAsync<TableEntity>(filter, PageSize, ["PartitionKey", "RowKey", TokenExpiryIndex.TokenVersionProperty], cancellationToken)
            .AsPages())
        {
            await Parallel.ForEachAsync(page.Values, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (entry, ct) =>
                {
                    if (await DeleteTokenAsync(entry, ct))
                    {
                        Interlocked.Increment(ref deleted);
                    }
                });

            foreach (var bucket in page.Values.GroupBy(e => e.PartitionKey))
            {
                await TableBatches.DeleteAsync(tables.SessionExpiry, bucket.Key, bucket.Select(e => e.RowKey).ToList(), cancellationToken);
            }
        }

        return deleted;
    }

    private async Task<bool> DeleteTokenAsync(TableEntity entry, CancellationToken cancellationToken)
    {
        if (TokenExpiryIndex.ParseRowKey(entry.RowKey) is not var (userId, kind)
            || entry.GetString(TokenExpiryIndex.TokenVersionProperty) is not { Length: > 0 } version)
        {
            return false;
        }

        try
        {
            var response = await tables.Tokens.DeleteEntityAsync(userId, kind, new ETag(version), cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }
}
