namespace FuncSessions.SecondFactors;

/// <summary>A user's TOTP enrolment. The secret is sealed (<see cref="FactorProtector"/>); it is never stored in the clear.</summary>
public sealed record TotpEnrolment
{
    public required string UserId { get; init; }

    public required string SealedSecret { get; init; }

    /// <summary>False until the user proved the authenticator with a correct code; an unconfirmed secret guards nothing.</summary>
    public bool Confirmed { get; init; }

    /// <summary>The time step of the last accepted code: a code of this step or earlier is a replay.</summary>
    public long LastUsedStep { get; init; } = -1;

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Storage version (ETag); writes of a read row are conditional on it, a new row's is empty.</summary>
    public string Version { get; init; } = "";
}

/// <summary>The hashes of a user's unused recovery codes.</summary>
public sealed record RecoveryCodeSet
{
    public required string UserId { get; init; }

    public required IReadOnlyList<string> Hashes { get; init; }

    public string Version { get; init; } = "";
}

public interface IFactorStore
{
    Task<TotpEnrolment?> FindTotpAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Inserts (empty version: replacing any unconfirmed one) or conditionally replaces; false when another writer won.</summary>
    Task<bool> TrySaveTotpAsync(TotpEnrolment enrolment, CancellationToken cancellationToken);

    Task<RecoveryCodeSet?> FindRecoveryCodesAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Upserts (empty version) or conditionally replaces; false when another writer won (a code spent in parallel).</summary>
    Task<bool> TrySaveRecoveryCodesAsync(RecoveryCodeSet codes, CancellationToken cancellationToken);

    /// <summary>Deletes the TOTP enrolment and the recovery codes.</summary>
    Task DeleteSecondFactorsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Records a challenge as used (one insert); false when it already was.</summary>
    Task<bool> TryMarkSpentAsync(string challengeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
