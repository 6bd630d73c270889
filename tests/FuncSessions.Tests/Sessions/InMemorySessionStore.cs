using FuncSessions.Sessions;

namespace FuncSessions.Tests.Sessions;

/// <summary>
/// An <see cref="ISessionStore"/> with the table store's semantics: every write gives the row a new
/// <see cref="Session.Version"/>, and <see cref="TryUpdateAsync"/> is a compare-and-swap on it.
/// </summary>
internal sealed class InMemorySessionStore : ISessionStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(string UserId, string SessionId), Session> _rows = [];
    private long _lastVersion;
    private int _heldReadsRemaining;
    private TaskCompletionSource? _heldReadsRelease;

    /// <summary>Updates that found the expected version and wrote.</summary>
    public int SuccessfulUpdates { get; private set; }

    /// <summary>Updates that lost the compare-and-swap or found no row.</summary>
    public int FailedUpdates { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>
    /// Makes the next <paramref name="readers"/> calls to <see cref="FindAsync"/> wait until all of them have read,
    /// so that they all hold the same version before anyone writes: the worst case of a refresh race.
    /// </summary>
    public void HoldReadsUntil(int readers)
    {
        lock (_gate)
        {
            _heldReadsRemaining = readers;
            _heldReadsRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async Task<Session?> FindAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Session? found;
        Task? wait = null;
        lock (_gate)
        {
            found = _rows.GetValueOrDefault((userId, sessionId));
            if (_heldReadsRelease is { } release && _heldReadsRemaining > 0)
            {
                wait = release.Task;
                if (--_heldReadsRemaining == 0)
                {
                    _heldReadsRelease = null;
                    release.SetResult();
                }
            }
        }

        if (wait is not null)
        {
            await wait.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }

        return found;
    }

    public async Task<Session> CreateAsync(Session session, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            var key = (session.UserId, session.SessionId);
            if (_rows.ContainsKey(key))
            {
                throw new InvalidOperationException($"Session {session.SessionId} already exists.");
            }

            var stored = session with { Version = NextVersion() };
            _rows.Add(key, stored);
            return stored;
        }
    }

    public async Task<Session?> TryUpdateAsync(Session current, Session updated, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            var key = (current.UserId, current.SessionId);
            if (!_rows.TryGetValue(key, out var row) || row.Version != current.Version)
            {
                FailedUpdates++;
                return null;
            }

            var stored = updated with { Version = NextVersion() };
            _rows[key] = stored;
            SuccessfulUpdates++;
            return stored;
        }
    }

    public async Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            return _rows.Remove((userId, sessionId));
        }
    }

    public async Task<IReadOnlyList<Session>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            return _rows.Values.Where(s => s.UserId == userId).ToList();
        }
    }

    public async Task<int> DeleteAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            var doomed = _rows.Keys.Where(k => k.UserId == userId && k.SessionId != keepSessionId).ToList();
            foreach (var key in doomed)
            {
                _rows.Remove(key);
            }

            return doomed.Count;
        }
    }

    /// <summary>Overwrites a row as another writer would (new version), bypassing the compare-and-swap.</summary>
    public Session Put(Session session)
    {
        lock (_gate)
        {
            var stored = session with { Version = NextVersion() };
            _rows[(session.UserId, session.SessionId)] = stored;
            return stored;
        }
    }

    private string NextVersion() => $"W/\"v{++_lastVersion}\"";
}
