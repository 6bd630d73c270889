using System.Globalization;
using Azure.Data.Tables;
using FuncSessions.Throttling;

namespace FuncSessions.Storage;

/// <summary>
/// The throttle rows' expiry entries, in the session expiry table under buckets of their own: PartitionKey = "l" + the
/// UTC hour the row expires in, RowKey = the throttle key (a hash). Each entry holds the row's ETag and its lifetime, so
/// the sweep can delete an untouched row with one conditional delete and recompute the expiry of a changed one.
/// Sessions' buckets start with "x" and tokens' with "t", so no sweep reads another's entries.
/// </summary>
internal static class ThrottleExpiryIndex
{
    public const string Prefix = "l";
    public const string VersionProperty = "ThrottleVersion";
    public const string LifetimeProperty = "LifetimeSeconds";

    public static TableEntity Entry(ThrottleCounter counter, TimeSpan lifetime) =>
        new(Bucket(ExpiresAt(counter, lifetime)), counter.Key)
        {
            [VersionProperty] = counter.Version,
            [LifetimeProperty] = (long)lifetime.TotalSeconds,
        };

    /// <summary>When the row stops mattering: its window or failure memory has ended and it is not blocking.</summary>
    public static DateTimeOffset ExpiresAt(ThrottleCounter counter, TimeSpan lifetime)
    {
        var end = counter.Since + lifetime;
        return counter.BlockedUntil is { } blocked && blocked > end ? blocked : end;
    }

    public static string Bucket(DateTimeOffset expiresAt) =>
        Prefix + expiresAt.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
