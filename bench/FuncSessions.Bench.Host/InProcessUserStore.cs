using FuncSessions.Users;

namespace FuncSessions.Bench;

/// <summary>Users in a dictionary with the table store's semantics (unique names and addresses, versioned replace). Bench only.</summary>
public sealed class InProcessUserStore : IUserStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserAccount> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _emails = new(StringComparer.Ordinal);
    private long _lastVersion;

    public Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault(UserKeys.ForUsername(normalizedUsername)));
        }
    }

    public Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryAdd(user.Key, user with { Version = NextVersion() }));
        }
    }

    public Task<bool> TryReplaceAsync(UserAccount user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(user.Key, out var current) || current.Version != user.Version)
            {
                return Task.FromResult(false);
            }

            _rows[user.Key] = user with { Version = NextVersion() };
            return Task.FromResult(true);
        }
    }

    public Task<UserAccount?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault(key));
        }
    }

    public Task<UserAccount?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_emails.TryGetValue(normalizedEmail, out var key) ? _rows.GetValueOrDefault(key) : null);
        }
    }

    public Task<bool> TryClaimEmailAsync(string normalizedEmail, UserAccount user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_emails.TryAdd(normalizedEmail, user.Key) || _emails[normalizedEmail] == user.Key);
        }
    }

    public Task ReleaseEmailAsync(string normalizedEmail, string userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_emails.TryGetValue(normalizedEmail, out var key) && _rows.GetValueOrDefault(key)?.UserId == userId)
            {
                _emails.Remove(normalizedEmail);
            }

            return Task.CompletedTask;
        }
    }

    private string NextVersion() => $"W/\"u{++_lastVersion}\"";
}
