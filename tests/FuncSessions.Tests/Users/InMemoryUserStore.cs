using FuncSessions.Users;

namespace FuncSessions.Tests.Users;

/// <summary>An <see cref="IUserStore"/> with the table store's semantics: unique normalised names and versioned replaces.</summary>
internal sealed class InMemoryUserStore : IUserStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, UserAccount> _rows = new(StringComparer.Ordinal);
    private long _lastVersion;

    public UserAccount? this[string normalizedUsername]
    {
        get
        {
            lock (_gate)
            {
                return _rows.GetValueOrDefault(normalizedUsername);
            }
        }
    }

    public Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        Task.FromResult(this[normalizedUsername]);

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
