using FuncSessions.Users;

namespace FuncSessions.Bench;

/// <summary>Users in a dictionary with the table store's semantics (unique names, versioned replace). Bench only.</summary>
public sealed class InProcessUserStore : IUserStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserAccount> _rows = new(StringComparer.Ordinal);
    private long _lastVersion;

    public Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault(normalizedUsername));
        }
    }

    public Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryAdd(user.NormalizedUsername, user with { Version = NextVersion() }));
        }
    }

    public Task<bool> TryReplaceAsync(UserAccount user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(user.NormalizedUsername, out var current) || current.Version != user.Version)
            {
                return Task.FromResult(false);
            }

            _rows[user.NormalizedUsername] = user with { Version = NextVersion() };
            return Task.FromResult(true);
        }
    }

    private string NextVersion() => $"W/\"u{++_lastVersion}\"";
}
