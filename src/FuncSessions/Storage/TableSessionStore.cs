using Azure;
using Azure.Data.Tables;
using FuncSessions.Sessions;

namespace FuncSessions.Storage;

/// <summary>
/// Sessions keyed PartitionKey = userId, RowKey = "s|" + sessionId (research/table-storage.md §2.3, design B):
/// validate and refresh are point reads, a user's sessions are one partition, and rotation is a single-row
/// compare-and-swap on the ETag.
/// </summary>
public sealed class TableSessionStore(TableClients tables) : ISessionStore
{
    private const string RowPrefix = "s|";
    private const string RowPrefixEnd = "s}";

    public async Task<Session?> FindAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        var response = await tables.Sessions.GetEntityIfExistsAsync<SessionEntity>(userId, RowPrefix + sessionId, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToSession() : null;
    }

    public async Task<Session> CreateAsync(Session session, CancellationToken cancellationToken)
    {
        // Note: an upsert, not an insert, so that the SDK's retry of a write whose response was lost rewrites the same
        // row instead of failing with 409; the session id is 128 fresh random bits, so no other row can be hit.
        var response = await tables.Sessions.UpsertEntityAsync(SessionEntity.From(session), TableUpdateMode.Replace, cancellationToken);
        var created = session with { Version = response.Headers.ETag.GetValueOrDefault().ToString() };
        try
        {
            await AddIndexEntryAsync(tables, created, cancellationToken);
        }
        catch
        {
            // Note: a session without an index entry would never be swept; undo rather than leave it half-written.
            await tables.Sessions.DeleteEntityAsync(session.UserId, RowPrefix + session.SessionId, ETag.All, CancellationToken.None);
            throw;
        }

        return created;
    }

    public async Task<Session?> TryReplaceAsync(Session session, CancellationToken cancellationToken)
    {
        try
        {
            var response = await tables.Sessions.UpdateEntityAsync(
                SessionEntity.From(session), new ETag(session.Version), TableUpdateMode.Replace, cancellationToken);
            return session with { Version = response.Headers.ETag.GetValueOrDefault().ToString() };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        // Note: DeleteEntity answers a missing row with a 404 response instead of throwing.
        var response = await tables.Sessions.DeleteEntityAsync(userId, RowPrefix + sessionId, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public async Task<IReadOnlyList<Session>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var sessions = new List<Session>();
        await foreach (var entity in tables.Sessions.QueryAsync<SessionEntity>(RangeFilter(userId), cancellationToken: cancellationToken))
        {
            sessions.Add(entity.ToSession());
        }

        return sessions;
    }

    public async Task<int> DeleteAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var entity in tables.Sessions.QueryAsync<TableEntity>(
            RangeFilter(userId), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (entity.RowKey != RowPrefix + keepSessionId)
            {
                keys.Add(entity.RowKey);
            }
        }

        await TableBatches.DeleteAsync(tables.Sessions, userId, keys, cancellationToken);
        return keys.Count;
    }

    internal static Task AddIndexEntryAsync(TableClients tables, Session session, CancellationToken cancellationToken) =>
        tables.SessionExpiry.UpsertEntityAsync(
            ExpiryIndex.Entry(session.UserId, session.SessionId, StoredDeadline(session), session.Version, tables.ExpiryIndexShards),
            TableUpdateMode.Replace,
            cancellationToken);

    internal static DateTimeOffset StoredDeadline(Session session) =>
        session.IdleExpiresAt < session.AbsoluteExpiresAt ? session.IdleExpiresAt : session.AbsoluteExpiresAt;

    internal static string SessionRowKey(string sessionId) => RowPrefix + sessionId;

    private static string RangeFilter(string userId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {RowPrefix} and RowKey lt {RowPrefixEnd}");

    internal sealed class SessionEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string Username { get; set; } = "";

        public string UserKey { get; set; } = "";

        public string? Email { get; set; }

        public bool EmailVerified { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset LastSeenAt { get; set; }

        public DateTimeOffset IdleExpiresAt { get; set; }

        public DateTimeOffset AbsoluteExpiresAt { get; set; }

        public string RefreshTokenHash { get; set; } = "";

        public string SpentTokenHashes { get; set; } = "";

        public DateTimeOffset? LastRotatedAt { get; set; }

        public string? SealedSuccessor { get; set; }

        public long Generation { get; set; }

        public string? UserAgent { get; set; }

        public string? IpAddress { get; set; }

        /// <summary>The amr values, comma-separated; absent on rows from before they were recorded, which were password logins.</summary>
        public string? Amr { get; set; }

        /// <summary>Session data as compact JSON; absent when there is none.</summary>
        public string? Data { get; set; }

        public static SessionEntity From(Session session) => new()
        {
            PartitionKey = session.UserId,
            RowKey = RowPrefix + session.SessionId,
            Username = session.Username,
            UserKey = session.StoredUserKey,
            Email = session.Email,
            EmailVerified = session.EmailVerified,
            CreatedAt = session.CreatedAt,
            LastSeenAt = session.LastSeenAt,
            IdleExpiresAt = session.IdleExpiresAt,
            AbsoluteExpiresAt = session.AbsoluteExpiresAt,
            RefreshTokenHash = session.RefreshTokenHash,
            SpentTokenHashes = string.Join(',', session.SpentTokenHashes),
            LastRotatedAt = session.LastRotatedAt,
            SealedSuccessor = session.SealedSuccessor,
            Generation = session.Generation,
            UserAgent = session.UserAgent,
            IpAddress = session.IpAddress,
            Amr = string.Join(',', session.Amr),
            Data = session.Data.Values.Count > 0 ? session.Data.ToJson() : null,
        };

        public Session ToSession() => new()
        {
            UserId = PartitionKey,
            SessionId = RowKey[RowPrefix.Length..],
            Username = Username,
            StoredUserKey = UserKey,
            Email = Email,
            EmailVerified = EmailVerified,
            CreatedAt = CreatedAt,
            LastSeenAt = LastSeenAt,
            IdleExpiresAt = IdleExpiresAt,
            AbsoluteExpiresAt = AbsoluteExpiresAt,
            RefreshTokenHash = RefreshTokenHash,
            SpentTokenHashes = SpentTokenHashes.Split(',', StringSplitOptions.RemoveEmptyEntries),
            LastRotatedAt = LastRotatedAt,
            SealedSuccessor = SealedSuccessor,
            Generation = Generation,
            UserAgent = UserAgent,
            IpAddress = IpAddress,
            Amr = string.IsNullOrEmpty(Amr) ? AuthenticationMethods.PasswordOnly : Amr.Split(','),
            Data = SessionData.FromJson(Data),
            Version = ETag.ToString(),
        };
    }
}
