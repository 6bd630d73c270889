using FuncSessions.Throttling;

namespace FuncSessions.Bench;

/// <summary>Throttle counters in a dictionary with the table store's semantics (insert-if-absent, versioned replace). Bench only.</summary>
public sealed class InProcessThrottleStore : IThrottleStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ThrottleCounter> _rows = new(StringComparer.Ordinal);
    private long _lastVersion;

    public Task<ThrottleCounter> FindAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault(key) ?? new ThrottleCounter { Key = key });
        }
    }

    public Task<ThrottleCounter?> TryWriteAsync(ThrottleCounter counter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var exists = _rows.TryGetValue(counter.Key, out var current);
            if (counter.Version.Length == 0 ? exists : !exists || current!.Version != counter.Version)
            {
                return Task.FromResult<ThrottleCounter?>(null);
            }

            var stored = counter with { Version = $"W/\"t{++_lastVersion}\"" };
            _rows[counter.Key] = stored;
            return Task.FromResult<ThrottleCounter?>(stored);
        }
    }

    public Task<bool> TryDeleteAsync(ThrottleCounter counter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(counter.Key, out var current) && current.Version == counter.Version && _rows.Remove(counter.Key));
        }
    }

    // Note: nothing to sweep in memory: the rows die with the process.
    public Task IndexAsync(ThrottleCounter counter, TimeSpan lifetime, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _rows.Remove(key);
            return Task.CompletedTask;
        }
    }
}
