using System.Globalization;
using Azure.Data.Tables;

namespace FuncSessions.Storage;

/// <summary>
/// Keys of the expiry index: PartitionKey = "x" + the UTC hour in which the session's stored deadline falls,
/// RowKey = "{userId}|{sessionId}"; each entry holds the session's ETag and deadline when indexed. The sweep
/// range-queries the buckets of past hours, and in the current hour's bucket only the entries whose deadline has
/// passed (a filter the service applies), so its cost follows the number of expired sessions, never the number of
/// live ones (research/table-storage.md §0.3).
/// </summary>
internal static class ExpiryIndex
{
    public const string SessionVersionProperty = "SessionVersion";

    public const string DeadlineProperty = "Deadline";

    public static TableEntity Entry(string userId, string sessionId, DateTimeOffset deadline, string version) =>
        new(Bucket(deadline), RowKey(userId, sessionId))
        {
            [SessionVersionProperty] = version,
            [DeadlineProperty] = deadline,
        };

    public static string Bucket(DateTimeOffset deadline) =>
        "x" + deadline.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>First bucket that is not yet entirely in the past.</summary>
    public static string CurrentBucket(DateTimeOffset now) => Bucket(now);

    public static string RowKey(string userId, string sessionId) => userId + "|" + sessionId;

    public static (string UserId, string SessionId)? ParseRowKey(string rowKey) =>
        rowKey.Split('|') is [var userId, var sessionId] ? (userId, sessionId) : null;
}
