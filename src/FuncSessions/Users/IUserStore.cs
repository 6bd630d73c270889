namespace FuncSessions.Users;

public interface IUserStore
{
    /// <summary>One point read.</summary>
    Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken);

    /// <summary>One point read of the row at <see cref="UserAccount.Key"/>.</summary>
    Task<UserAccount?> FindByKeyAsync(string key, CancellationToken cancellationToken);

    /// <summary>Two point reads: the address's index row, then the account it names (null when either is missing or they disagree).</summary>
    Task<UserAccount?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken);

    /// <summary>Inserts the user at its <see cref="UserAccount.Key"/>; false when the key is taken.</summary>
    Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken);

    /// <summary>Replaces the row if unchanged since it was read; false when another writer got there first.</summary>
    Task<bool> TryReplaceAsync(UserAccount user, CancellationToken cancellationToken);

    /// <summary>
    /// Points the address's index row at the user; false when it belongs to another account. An index row whose account
    /// no longer holds the address (a registration or change that stopped half-way) is taken over.
    /// </summary>
    Task<bool> TryClaimEmailAsync(string normalizedEmail, UserAccount user, CancellationToken cancellationToken);

    /// <summary>Deletes the address's index row if it names <paramref name="userId"/>.</summary>
    Task ReleaseEmailAsync(string normalizedEmail, string userId, CancellationToken cancellationToken);
}
