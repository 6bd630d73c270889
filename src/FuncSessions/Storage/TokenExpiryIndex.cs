using System.Globalization;
using FuncSessions.Email;

namespace FuncSessions.Storage;

/// <summary>
/// Keys of the one-time tokens' expiry entries, in the session expiry table under their own buckets: PartitionKey =
/// "t" + the UTC hour of the token's deadline, RowKey = "{userId}|{kind}". Sessions' buckets start with "x", so neither
/// sweep ever reads the other's entries.
/// </summary>
internal static class TokenExpiryIndex
{
    public const string TokenVersionProperty = "TokenVersion";

    public static string Bucket(DateTimeOffset deadline) =>
        "t" + deadline.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public static string RowKey(string userId, OneTimeTokenKind kind) => userId + "|" + OneTimeToken.Code(kind);

    public static (string UserId, string Kind)? ParseRowKey(string rowKey) =>
        rowKey.Split('|') is [var userId, var kind] ? (userId, kind) : null;

}
