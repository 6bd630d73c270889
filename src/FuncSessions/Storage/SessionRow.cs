using Azure.Data.Tables;
using FuncSessions.Sessions;

namespace FuncSessions.Storage;

/// <summary>
/// A session as its table row: PartitionKey = userId, RowKey = "s|" + sessionId, one property per field, and no
/// property for a field that is null, so that <see cref="Changes"/> can tell a removed value from an unchanged one.
/// </summary>
internal static class SessionRow
{
    private const string RowPrefix = "s|";
    private const string RowPrefixEnd = "s}";

    // Note: the names of the typed entity this class replaced, so rows written before it read the same.
    private const string UserKey = "UserKey";
    private const string SpentTokenHashes = "SpentTokenHashes";

    public static string Key(string sessionId) => RowPrefix + sessionId;

    /// <summary>The filter for every session row of one user (the user's other rows in the table left out).</summary>
    public static string OfUser(string userId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {RowPrefix} and RowKey lt {RowPrefixEnd}");

    public static TableEntity From(Session session)
    {
        var row = new TableEntity(session.UserId, Key(session.SessionId))
        {
            [nameof(Session.Username)] = session.Username,
            [UserKey] = session.StoredUserKey,
            [nameof(Session.EmailVerified)] = session.EmailVerified,
            [nameof(Session.CreatedAt)] = session.CreatedAt,
            [nameof(Session.LastSeenAt)] = session.LastSeenAt,
            [nameof(Session.IdleExpiresAt)] = session.IdleExpiresAt,
            [nameof(Session.AbsoluteExpiresAt)] = session.AbsoluteExpiresAt,
            [nameof(Session.RefreshTokenHash)] = session.RefreshTokenHash,
            [SpentTokenHashes] = string.Join(',', session.SpentTokenHashes),
            [nameof(Session.Generation)] = session.Generation,
            [nameof(Session.Amr)] = string.Join(',', session.Amr),
        };
        SetIfPresent(row, nameof(Session.Email), session.Email);
        SetIfPresent(row, nameof(Session.LastRotatedAt), session.LastRotatedAt);
        SetIfPresent(row, nameof(Session.SealedSuccessor), session.SealedSuccessor);
        SetIfPresent(row, nameof(Session.UserAgent), session.UserAgent);
        SetIfPresent(row, nameof(Session.IpAddress), session.IpAddress);
        SetIfPresent(row, nameof(Session.Data), session.Data.Values.Count > 0 ? session.Data.ToJson() : null);
        return row;
    }

    public static Session ToSession(TableEntity row)
    {
        var amr = row.GetString(nameof(Session.Amr));
        return new Session
        {
            UserId = row.PartitionKey,
            SessionId = row.RowKey[RowPrefix.Length..],
            Username = row.GetString(nameof(Session.Username)) ?? "",
            StoredUserKey = row.GetString(UserKey) ?? "",
            Email = row.GetString(nameof(Session.Email)),
            EmailVerified = row.GetBoolean(nameof(Session.EmailVerified)) ?? false,
            CreatedAt = row.GetDateTimeOffset(nameof(Session.CreatedAt)) ?? default,
            LastSeenAt = row.GetDateTimeOffset(nameof(Session.LastSeenAt)) ?? default,
            IdleExpiresAt = row.GetDateTimeOffset(nameof(Session.IdleExpiresAt)) ?? default,
            AbsoluteExpiresAt = row.GetDateTimeOffset(nameof(Session.AbsoluteExpiresAt)) ?? default,
            RefreshTokenHash = row.GetString(nameof(Session.RefreshTokenHash)) ?? "",
            SpentTokenHashes = (row.GetString(SpentTokenHashes) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            LastRotatedAt = row.GetDateTimeOffset(nameof(Session.LastRotatedAt)),
            SealedSuccessor = row.GetString(nameof(Session.SealedSuccessor)),
            Generation = row.GetInt64(nameof(Session.Generation)) ?? 0,
            UserAgent = row.GetString(nameof(Session.UserAgent)),
            IpAddress = row.GetString(nameof(Session.IpAddress)),
            // Note: rows from before amr was recorded have none, and were all password logins.
            Amr = string.IsNullOrEmpty(amr) ? AuthenticationMethods.PasswordOnly : amr.Split(','),
            Data = SessionData.FromJson(row.GetString(nameof(Session.Data))),
            Version = row.ETag.ToString(),
        };
    }

    /// <summary>
    /// What turns the row <paramref name="before"/> into <paramref name="after"/>: a Merge of only the properties that
    /// differ, or, when <paramref name="after"/> lacks a property <paramref name="before"/> has, a Replace of the whole
    /// row, since a Merge cannot remove a property.
    /// </summary>
    public static (TableEntity Entity, TableUpdateMode Mode) Changes(TableEntity before, TableEntity after)
    {
        if (before.Keys.Any(name => !after.ContainsKey(name)))
        {
            return (after, TableUpdateMode.Replace);
        }

        var changed = new TableEntity(after.PartitionKey, after.RowKey);
        foreach (var (name, value) in after)
        {
            if (!before.TryGetValue(name, out var old) || !Equals(old, value))
            {
                changed[name] = value;
            }
        }

        return (changed, TableUpdateMode.Merge);
    }

    private static void SetIfPresent(TableEntity row, string name, object? value)
    {
        if (value is not null)
        {
            row[name] = value;
        }
    }
}
