namespace FuncSessions.Users;

public interface IUserStore
{
    /// <summary>One point read.</summary>
    Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken);

    /// <summary>Inserts the user; false when the normalised username is taken.</summary>
    Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken);

    /// <summary>Replaces the row if unchanged since it was read; false when another writer got there first.</summary>
    Task<bool> TryReplaceAsync(UserAccount user, CancellationToken cancellationToken);
}
