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
    public async Task<Session?> FindAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        var response = await tables.Sessions.GetEntityIfExistsAsync<TableEntity>(userId, SessionRow.Key(sessionId), cancellationToken: cancellationToken);
        return response.HasValue ? SessionRow.ToSession(response.Value!) : null;
    }

    public async Task<Session> CreateAsync(Session session, CancellationToken cancellationToken)
    {
        // Note: an upsert, not an insert, so that the SDK's retry of a write whose response was lost rewrites the same
        // row instead of failing with 409; the session id is 128 fresh random bits, so no other row can be hit.
        var response = await tables.Sessions.UpsertEntityAsync(SessionRow.From(session), TableUpdateMode.Replace, cancellationToken);
        var created = session with { Version = response.Headers.ETag.GetValueOrDefault().ToString() };
        try
        {
            await AddIndexEntryAsync(tables, created, cancellationToken);
        }
        catch
        {
            // Note: a session without an index entry would never be swept; undo rather than leave it half-written.
            await tables.Sessions.DeleteEntityAsync(session.UserId, SessionRow.Key(session.SessionId), ETag.All, CancellationToken.None);
            throw;
        }

        return created;
    }

    public async Task<Session?> TryUpdateAsync(Session current, Session updated, CancellationToken cancellationToken)
    {
        // Note: the ETag makes the row as stored exactly current, so writing only the difference yields updated.
        var (entity, mode) = SessionRow.Changes(SessionRow.From(current), SessionRow.From(updated));
        try
        {
            var response = await tables.Sessions.UpdateEntityAsync(entity, new ETag(current.Version), mode, cancellationToken);
            return updated with { Version = response.Headers.ETag.GetValueOrDefault().ToString() };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        // Note: DeleteEntity answers a missing row with a 404 response instead of throwing.
        var response = await tables.Sessions.DeleteEntityAsync(userId, SessionRow.Key(sessionId), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public async Task<IReadOnlyList<Session>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var sessions = new List<Session>();
        await foreach (var entity in tables.Sessions.QueryAsync<TableEntity>(SessionRow.OfUser(userId), cancellationToken: cancellationToken))
        {
            sessions.Add(SessionRow.ToSession(entity));
        }

        return sessions;
    }

    public async Task<int> DeleteAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var entity in tables.Sessions.QueryAsync<TableEntity>(
            SessionRow.OfUser(userId), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (keepSessionId is null || entity.RowKey != SessionRow.Key(keepSessionId))
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
}
