using FuncSessions.Passkeys;

namespace FuncSessions.Users;

/// <summary>
/// The ways into an account: its password, each linked external identity, each passkey. Unlinking an identity and
/// deleting a passkey must leave one, or nobody can sign in to the account again.
/// </summary>
public static class SignInMethods
{
    /// <summary>Whether the account has one way to sign in (or none), so removing one is refused.</summary>
    public static async Task<bool> AtMostOneAsync(UserAccount user, IPasskeyStore passkeys, CancellationToken cancellationToken)
    {
        var withoutPasskeys = (user.HasPassword ? 1 : 0) + user.ExternalIdentities.Count;
        // Note: the passkey query only when the rest does not already make two ways in.
        return withoutPasskeys <= 1 && withoutPasskeys + (await passkeys.ListAsync(user.UserId, cancellationToken)).Count <= 1;
    }
}
