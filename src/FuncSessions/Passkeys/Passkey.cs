namespace FuncSessions.Passkeys;

/// <summary>A registered WebAuthn credential.</summary>
public sealed record Passkey
{
    /// <summary>The credential id, base64url (as the browser reports it).</summary>
    public required string Id { get; init; }

    public required string UserId { get; init; }

    /// <summary>Where the account row is read at sign-in (<see cref="Users.UserAccount.Key"/>).</summary>
    public required string UserKey { get; init; }

    /// <summary>The COSE public key.</summary>
    public required byte[] PublicKey { get; init; }

    public uint SignCount { get; init; }

    public IReadOnlyList<string> Transports { get; init; } = [];

    public Guid Aaguid { get; init; }

    /// <summary>Whether the provider may sync the key to other devices (the BE flag): <c>swk</c> rather than <c>hwk</c>.</summary>
    public bool BackupEligible { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>Storage version (ETag) of the lookup row; the sign count is written conditionally on it.</summary>
    public string Version { get; init; } = "";
}

public interface IPasskeyStore
{
    /// <summary>One point read by credential id.</summary>
    Task<Passkey?> FindAsync(string credentialId, CancellationToken cancellationToken);

    /// <summary>The user's passkeys: one single-partition query.</summary>
    Task<IReadOnlyList<Passkey>> ListAsync(string userId, CancellationToken cancellationToken);

    /// <summary>False when the credential id is registered already (to anyone).</summary>
    Task<bool> TryAddAsync(Passkey passkey, CancellationToken cancellationToken);

    /// <summary>Records a use (new sign count, last used); false when another use of the same credential won.</summary>
    Task<bool> TryRecordUseAsync(Passkey passkey, CancellationToken cancellationToken);

    /// <summary>False when the user has no such passkey.</summary>
    Task<bool> DeleteAsync(string userId, string credentialId, CancellationToken cancellationToken);
}
