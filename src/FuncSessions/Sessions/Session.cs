namespace FuncSessions.Sessions;

/// <summary>A server-side session: the row that makes logout and revocation take effect at once.</summary>
public sealed record Session
{
    public required string UserId { get; init; }

    public required string SessionId { get; init; }

    /// <summary>Copied from the user at login so that validate answers from this one row.</summary>
    public required string Username { get; init; }

    /// <summary>
    /// The user's row (<see cref="Users.UserAccount.Key"/>), for re-reads; empty on rows written before it was stored,
    /// which all belong to accounts with a username (<see cref="UserKey"/> resolves those).
    /// </summary>
    public string StoredUserKey { get; init; } = "";

    /// <summary>The account's address when the session began, or null (copied like <see cref="Username"/>).</summary>
    public string? Email { get; init; }

    public bool EmailVerified { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Time of the login or of the last successful refresh.</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Idle deadline as stored: min(last seen + idle timeout, absolute expiry).</summary>
    public required DateTimeOffset IdleExpiresAt { get; init; }

    /// <summary>Fixed at login; never slides.</summary>
    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>SHA-256 of the current refresh token; the token itself is never stored.</summary>
    public required string RefreshTokenHash { get; init; }

    /// <summary>Hashes of earlier refresh tokens, newest (the current token's parent) first.</summary>
    public IReadOnlyList<string> SpentTokenHashes { get; init; } = [];

    /// <summary>When the parent was spent; starts the grace window in which it still yields the current token.</summary>
    public DateTimeOffset? LastRotatedAt { get; init; }

    /// <summary>The current token's secret, sealed with a key only the parent token's holder can derive.</summary>
    public string? SealedSuccessor { get; init; }

    public long Generation { get; init; }

    public string? UserAgent { get; init; }

    public string? IpAddress { get; init; }

    /// <summary>Custom data, carried as claims in every access token issued for this session.</summary>
    public SessionData Data { get; init; } = SessionData.Empty;

    /// <summary>
    /// How the user authenticated when the session began (RFC 8176 <c>amr</c> values, <see cref="AuthenticationMethods"/>);
    /// the session's <see cref="CreatedAt"/> is the authentication time, as every sign-in starts a new session.
    /// </summary>
    public IReadOnlyList<string> Amr { get; init; } = AuthenticationMethods.PasswordOnly;

    /// <summary>Storage version (ETag) read with the row; every write is conditional on it.</summary>
    public string Version { get; init; } = "";

    /// <summary>
    /// The deadline in force: the stored one, tightened by the current options so that shortening a lifetime in
    /// configuration applies to existing sessions at once (the sweep still uses the stored, later deadline).
    /// </summary>
    public DateTimeOffset ExpiresAt(SessionOptions options)
    {
        var idle = LastSeenAt + options.IdleTimeout;
        var absolute = CreatedAt + options.AbsoluteLifetime;
        return Min(Min(IdleExpiresAt, AbsoluteExpiresAt), Min(idle, absolute));
    }

    public bool IsLiveAt(DateTimeOffset now, SessionOptions options) => now < ExpiresAt(options);

    /// <summary>Where the user's row is.</summary>
    public string UserKey => StoredUserKey.Length > 0 ? StoredUserKey : Users.UserKeys.ForUsername(Users.Usernames.Normalize(Username));

    /// <summary>Whether <paramref name="tokenHash"/> is the hash of the current refresh token.</summary>
    public bool IsCurrentToken(string tokenHash) => SecureIds.ConstantTimeEquals(tokenHash, RefreshTokenHash);

    /// <summary>Whether <paramref name="tokenHash"/> is the hash of the current token's immediate parent.</summary>
    public bool IsParentToken(string tokenHash) =>
        SpentTokenHashes.Count > 0 && SecureIds.ConstantTimeEquals(tokenHash, SpentTokenHashes[0]);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
