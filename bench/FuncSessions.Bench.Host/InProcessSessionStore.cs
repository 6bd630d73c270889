using FuncSessions.Sessions;

namespace FuncSessions.Bench;

/// <summary>
/// Sessions in a dictionary, with the table store's semantics (every write a new version, replace is a
/// compare-and-swap). Bench only: it isolates our own CPU cost from the storage client's; never a product default.
/// </summary>
public sealed class InProcessSessionStore : ISessionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string UserId, string SessionId), Session> _rows = [];
    private long _lastVersion;

    public Task<Session?> FindAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault((userId, sessionId)));
        }
    }

    public Task<Session> CreateAsync(Session session, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var stored = session with { Version = NextVersion() };
            if (!_rows.TryAdd((session.UserId, session.SessionId), stored))
            {
                throw new InvalidOperationException("Session id collision.");
            }

            return Task.FromResult(stored);
        }
    }

    public Task<Session?> TryUpdateAsync(Session current, Session updated, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var key = (current.UserId, current.SessionId);
            if (!_rows.TryGetValue(key, out var row) || row.Version != current.Version)
            {
                return Task.FromResult<Session?>(null);
            }

            var stored = updated with { Version = NextVersion() };
            _rows[key] = stored;
            return Task.FromResult<Session?>(stored);
        }
    }

    public Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.Remove((userId, sessionId)));
        }
    }

    public Task<IReadOnlyList<Session>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Session>>(_rows.Values.Where(s => s.UserId == userId).ToList());
        }
    }

    public Task<int> DeleteAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var doomed = _rows.Keys.Where(k => k.UserId == userId && k.SessionId != keepSessionId).ToList();
            doomed.ForEach(key => _rows.Remove(key));
            return Task.FromResult(doomed.Count);
        }
    }

    private string NextVersion() => $"W/\"b{++_lastVersion}\"";
}
