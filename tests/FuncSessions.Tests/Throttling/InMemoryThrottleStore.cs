using FuncSessions.Throttling;

namespace FuncSessions.Tests.Throttling;

/// <summary>An <see cref="IThrottleStore"/> with the table store's semantics: inserts fail on an existing row, replaces on a changed one.</summary>
internal sealed class InMemoryThrottleStore : IThrottleStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ThrottleCounter> _rows = new(StringComparer.Ordinal);
    private long _lastVersion;

    public int Writes { get; private set; }

    /// <summary>How many of the next writes lose as if another writer got there first (a lost compare-and-swap).</summary>
    public int LoseWrites { get; set; }

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
            Writes++;
            if (LoseWrites > 0)
            {
                LoseWrites--;
                return Task.FromResult<ThrottleCounter?>(null);
            }

            var exists = _rows.TryGetValue(counter.Key, out var current);
            if (counter.Version.Length == 0 ? exists : !exists || current!.Version != counter.Version)
            {
                return Task.FromResult<ThrottleCounter?>(null);
            }

            var stored = counter with { Version = (++_lastVersion).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            _rows[counter.Key] = stored;
            return Task.FromResult<ThrottleCounter?>(stored);
        }
    }

    /// <summary>What <see cref="IndexAsync"/> recorded: key → expiry.</summary>
    public Dictionary<string, DateTimeOffset> Indexed { get; } = new(StringComparer.Ordinal);

    public Task<bool> TryDeleteAsync(ThrottleCounter counter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(counter.Key, out var current) && current.Version == counter.Version && _rows.Remove(counter.Key));
        }
    }

    public Task IndexAsync(ThrottleCounter counter, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Indexed[counter.Key] = counter.Since + lifetime;
            return Task.CompletedTask;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _rows.Remove(key);
            return Task.CompletedTask;
        }
    }
}
