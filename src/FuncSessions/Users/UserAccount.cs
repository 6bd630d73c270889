namespace FuncSessions.Users;

public sealed record UserAccount
{
    public required string UserId { get; init; }

    /// <summary>
    /// Where the row is stored (<see cref="UserKeys"/>): the escaped normalised username, or <c>u|{userId}</c> for an
    /// account registered with an email address alone. Rows never move, so re-reads use this key.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>As the user typed it at registration (after NFKC), for display; the email address when there is no username.</summary>
    public required string Username { get; init; }

    /// <summary>The lookup key: NFKC, lower-cased, see <see cref="Usernames"/>. Empty for an account without a username.</summary>
    public required string NormalizedUsername { get; init; }

    public required string PasswordHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? PasswordChangedAt { get; init; }

    /// <summary>
    /// Goes up by one at every credential change that ends sessions (password change or reset, factor removal), never
    /// for a rehash at the same password. A session is only handed out while the row still has the version it was
    /// authenticated against (<see cref="Sessions.SessionIssuer"/>).
    /// </summary>
    public int CredentialVersion { get; init; }

    /// <summary>The address as the user typed it (trimmed, NFKC, domain lower-cased), or null.</summary>
    public string? Email { get; init; }

    /// <summary>The index key of <see cref="Email"/> (see <see cref="Email.EmailAddresses"/>), or null.</summary>
    public string? NormalizedEmail { get; init; }

    /// <summary>Whether a link sent to <see cref="Email"/> was used.</summary>
    public bool EmailVerified { get; init; }

    /// <summary>
    /// Set by an administrator (<see cref="Admin.UserAdministration"/>): the account cannot log in (the same answer as a
    /// wrong password) and no session is issued to it (<see cref="Sessions.SessionIssuer"/> re-reads this).
    /// </summary>
    public bool Disabled { get; init; }

    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>
    /// The provider identities that sign in to this account (<see cref="External.ExternalAccounts"/>): the account row is
    /// the authority, and each also has an index row keyed by (provider, subject) for the sign-in's point read.
    /// </summary>
    public IReadOnlyList<External.LinkedIdentity> ExternalIdentities { get; init; } = [];

    /// <summary>False for an account made by an external sign-in, which has no password until one is set.</summary>
    public bool HasPassword => PasswordHash.Length > 0;

    /// <summary>Storage version (ETag) read with the row.</summary>
    public string Version { get; init; } = "";
}
