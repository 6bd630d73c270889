namespace FuncSessions.Email;

/// <summary>The row behind a one-time token: never the token, only its hash, plus what redeeming it needs.</summary>
public sealed record StoredOneTimeToken
{
    public required string UserId { get; init; }

    public required OneTimeTokenKind Kind { get; init; }

    public required string TokenHash { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Where the user's row is (<see cref="Users.UserAccount.Key"/>), so redeeming reads it with one point read.</summary>
    public required string UserKey { get; init; }

    /// <summary>The user's credential version at issue: a password change or reset in between kills the token.</summary>
    public required int CredentialVersion { get; init; }

    /// <summary>The normalised address the link was sent to: the one to verify, or the new one for an email change.</summary>
    public required string NormalizedEmail { get; init; }

    /// <summary>That address as typed (for an email change, what the account's address becomes).</summary>
    public required string Email { get; init; }

    /// <summary>Storage version (ETag): redeeming deletes the row conditional on it, so a token is used once even under races.</summary>
    public string Version { get; init; } = "";
}
