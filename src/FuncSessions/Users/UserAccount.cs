namespace FuncSessions.Users;

public sealed record UserAccount
{
    public required string UserId { get; init; }

    /// <summary>As the user typed it at registration (after NFKC), for display.</summary>
    public required string Username { get; init; }

    /// <summary>The lookup key: NFKC, lower-cased, see <see cref="Usernames"/>.</summary>
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

    /// <summary>Storage version (ETag) read with the row.</summary>
    public string Version { get; init; } = "";
}
