using Azure.Data.Tables;

namespace FuncSessions.Storage;

/// <summary>
/// Deletes the spent markers of challenges (second-factor logins, passkey ceremonies) that stopped opening at least an
/// hour ago. A marker only has to outlive its challenge: once the sealed value has expired it is refused before the
/// marker is looked at. The hour covers a request that opened the challenge just before it expired and reaches the
/// marker after a sweep ran; no request lives that long. The query reads only the markers' key range, so a run costs
/// what was spent since the last one, whatever the number of users.
/// </summary>
public sealed class ExpiredChallengeMarkerSweep(TableClients tables, TimeProvider time)
{
    private const int PageSize = 1000;
    private const int Parallelism = 16;

    /// <summary>How long after its challenge expired a marker is kept.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    /// <summary>Returns how many markers were deleted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // Note: "}" follows "|" in ordinal order, so the range holds exactly the keys that start with the prefix.
        var prefix = TableFactorStore.SpentMarkerPrefix;
        var after = prefix[..^1] + (char)(prefix[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {after} and ")
            + TableFactorStore.SpentMarkerExpiresAt + TableClient.CreateQueryFilter($" lt {time.GetUtcNow() - Grace}");
        var deleted = 0;
        await foreach (var page in tables.Factors.QueryAsync<TableEntity>(filter, PageSize, ["PartitionKey", "RowKey"], cancellationToken).AsPages())
        {
            await Parallel.ForEachAsync(page.Values, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (marker, ct) =>
                {
                    // Note: DeleteEntity answers a missing row (a sweep running beside this one) with a 404 response instead of throwing.
                    var response = await tables.Factors.DeleteEntityAsync(marker.PartitionKey, marker.RowKey, Azure.ETag.All, ct);
                    if (response.Status != 404)
                    {
                        Interlocked.Increment(ref deleted);
                    }
                });
        }

        return deleted;
    }
}
