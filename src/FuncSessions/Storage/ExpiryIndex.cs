using System.Globalization;
using Azure.Data.Tables;

namespace FuncSessions.Storage;

/// <summary>
/// Keys of the expiry index: PartitionKey = "x" + the UTC hour in which the session's stored deadline falls, then "-"
/// and a shard number from the session id when the hour is spread over several partitions
/// (<see cref="StorageOptions.ExpiryIndexShards"/>; "x2026112309-07"), RowKey = "{userId}|{sessionId}"; each entry holds the session's ETag and deadline when indexed. The sweep
/// range-queries the buckets of past hours, and in the current hour's bucket only the entries whose deadline has
/// passed (a filter the service applies), so its cost follows the number of expired sessions, never the number of
/// live ones (research/table-storage.md §0.3).
/// </summary>
internal static class ExpiryIndex
{
    public const string SessionVersionProperty = "SessionVersion";

    public const string DeadlineProperty = "Deadline";

    public static TableEntity Entry(string userId, string sessionId, DateTimeOffset deadline, string version, int shards) =>
        new(Partition(deadline, sessionId, shards), RowKey(userId, sessionId))
        {
            [SessionVersionProperty] = version,
            [DeadlineProperty] = deadline,
        };

    public static string Bucket(DateTimeOffset deadline) =>
        "x" + deadline.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>
    /// The entry's partition: the hour's bucket, and with more than one shard "-" and the shard, two digits. "-" sorts
    /// before every digit, so each hour's partitions (unsharded and sharded) sort after the hour's bucket and before the
    /// next hour's: a range query by hour finds them all, and entries written before sharding too.
    /// </summary>
    public static string Partition(DateTimeOffset deadline, string sessionId, int shards) =>
        shards <= 1 ? Bucket(deadline) : Bucket(deadline) + "-" + Shard(sessionId, shards).ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>First bucket that is not yet entirely in the past.</summary>
    public static string CurrentBucket(DateTimeOffset now) => Bucket(now);

    /// <summary>Just past every partition of the hour <paramref name="bucket"/> ('.' follows '-').</summary>
    public static string AfterHour(string bucket) => bucket + ".";

    // Note: FNV-1a, not string.GetHashCode (randomised per process): writers and the admin delete must agree.
    private static int Shard(string sessionId, int shards)
    {
        var hash = 2166136261u;
        foreach (var c in sessionId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }

    public static string RowKey(string userId, string sessionId) => userId + "|" + sessionId;

    public static (string UserId, string SessionId)? ParseRowKey(string rowKey) =>
        rowKey.Split('|') is [var userId, var sessionId] ? (userId, sessionId) : null;
}
