using FuncSessions.Email;
using FuncSessions.Passkeys;
using FuncSessions.Sessions;
using FuncSessions.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.External;

public enum LinkOutcome
{
    Linked,

    /// <summary>The identity signs in to another account already; nothing changed.</summary>
    InUse,

    /// <summary>The account kept changing while the identity was being added; nothing changed.</summary>
    Conflict,
}

public enum UnlinkOutcome
{
    Unlinked,
    NotFound,

    /// <summary>It is the account's only way to sign in (no password, no passkey, no other identity); nothing changed.</summary>
    LastSignInMethod,
    Conflict,
}

/// <summary>
/// External identities and accounts: a first sign-in makes an account (no password, no username), later ones find it
/// by (provider, subject), never by address unless <see cref="ExternalSignInOptions.LinkVerifiedEmail"/> allows it.
/// The account row's list is the authority; the index row is what a sign-in reads first. Writes go index row first, then
/// account row, so a sign-in stopped half-way leaves an index row naming no live link, which the next claimant takes over.
/// </summary>
public sealed class ExternalAccounts(
    IExternalIdentityStore identities,
    IUserStore users,
    IPasskeyStore passkeys,
    IOptions<ExternalSignInOptions> options,
    LogHash logHash,
    TimeProvider time,
    ILogger<ExternalAccounts> logger)
{
    private const int Attempts = 3;

    /// <summary>The account this identity signs in to, made on its first sign-in; null when storage kept changing under us.</summary>
    public async Task<UserAccount?> SignInAsync(ExternalIdentity identity, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (owner, index) = await FindOwnerAsync(identity, cancellationToken);
            if (owner is not null)
            {
                return owner;
            }

            if (await VerifiedEmailAccountAsync(identity, cancellationToken) is { } byEmail)
            {
                if (await identities.TryClaimAsync(identity.Provider, identity.Subject, byEmail, index, cancellationToken))
                {
                    return await AddToAccountAsync(byEmail.Key, identity, cancellationToken);
                }

                continue;
            }

            var user = NewAccount(identity);
            if (!await identities.TryClaimAsync(identity.Provider, identity.Subject, user, index, cancellationToken))
            {
                continue;
            }

            if (await users.TryCreateAsync(user, cancellationToken))
            {
                logger.ExternalAccountCreated(logHash.Of(user.UserId), identity.Provider);
                return user;
            }
        }

        return null;
    }

    public Task<UserAccount?> FindAsync(string userKey, CancellationToken cancellationToken) => users.FindByKeyAsync(userKey, cancellationToken);

    /// <summary>Adds the identity to the signed-in user's account.</summary>
    public async Task<LinkOutcome> LinkAsync(string userKey, ExternalIdentity identity, CancellationToken cancellationToken)
    {
        if (await users.FindByKeyAsync(userKey, cancellationToken) is not { } user)
        {
            return LinkOutcome.Conflict;
        }

        var (owner, index) = await FindOwnerAsync(identity, cancellationToken);
        if (owner is not null)
        {
            return owner.UserId == user.UserId ? LinkOutcome.Linked : LinkOutcome.InUse;
        }

        if (!await identities.TryClaimAsync(identity.Provider, identity.Subject, user, index, cancellationToken))
        {
            return LinkOutcome.InUse;
        }

        if (await AddToAccountAsync(user.Key, identity, cancellationToken) is null)
        {
            await identities.ReleaseAsync(identity.Provider, identity.Subject, user.UserId, cancellationToken);
            return LinkOutcome.Conflict;
        }

        logger.ExternalIdentityLinked(logHash.Of(user.UserId), identity.Provider);
        return LinkOutcome.Linked;
    }

    /// <summary>Removes one of the account's identities, unless nothing else would sign in to it.</summary>
    public async Task<UnlinkOutcome> UnlinkAsync(string userKey, string identityId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await users.FindByKeyAsync(userKey, cancellationToken) is not { } user
                || user.ExternalIdentities.FirstOrDefault(i => i.Id == identityId) is not { } linked)
            {
                return UnlinkOutcome.NotFound;
            }

            if (await SignInMethods.AtMostOneAsync(user, passkeys, cancellationToken))
            {
                return UnlinkOutcome.LastSignInMethod;
            }

            // Note: the account row first: from that write on, the identity no longer signs in here.
            if (await users.TryReplaceAsync(user with { ExternalIdentities = [.. user.ExternalIdentities.Where(i => i != linked)] }, cancellationToken))
            {
                await identities.ReleaseAsync(linked.Provider, linked.Subject, user.UserId, cancellationToken);
                logger.ExternalIdentityUnlinked(logHash.Of(user.UserId), linked.Provider);
                return UnlinkOutcome.Unlinked;
            }
        }

        return UnlinkOutcome.Conflict;
    }

    /// <summary>
    /// The account the index row names, if that account lists the identity; else null with the row (if any) to take over:
    /// it was left by a sign-in or link that stopped half-way, or by an unlink.
    /// </summary>
    private async Task<(UserAccount? Owner, IdentityIndex? Index)> FindOwnerAsync(ExternalIdentity identity, CancellationToken cancellationToken)
    {
        if (await identities.FindAsync(identity.Provider, identity.Subject, cancellationToken) is not { } index)
        {
            return (null, null);
        }

        var owner = await users.FindByKeyAsync(index.UserKey, cancellationToken);
        return owner is not null && owner.UserId == index.UserId && owner.ExternalIdentities.Any(i => i.Is(identity.Provider, identity.Subject))
            ? (owner, index)
            : (null, index);
    }

    // Note: both sides must vouch for the address: the provider (email_verified) and this server (a link we mailed was used).
    private async Task<UserAccount?> VerifiedEmailAccountAsync(ExternalIdentity identity, CancellationToken cancellationToken) =>
        options.Value.LinkVerifiedEmail && identity.VerifiedEmail is { } email && EmailAddresses.Clean(email) is { } cleaned
        && await users.FindByEmailAsync(EmailAddresses.Normalize(cleaned), cancellationToken) is { EmailVerified: true } account
            ? account
            : null;

    private async Task<UserAccount?> AddToAccountAsync(string userKey, ExternalIdentity identity, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await users.FindByKeyAsync(userKey, cancellationToken) is not { } user)
            {
                return null;
            }

            if (user.ExternalIdentities.Any(i => i.Is(identity.Provider, identity.Subject)))
            {
                return user;
            }

            var changed = user with { ExternalIdentities = [.. user.ExternalIdentities, Linked(identity)] };
            if (await users.TryReplaceAsync(changed, cancellationToken))
            {
                return await users.FindByKeyAsync(userKey, cancellationToken) ?? changed;
            }
        }

        return null;
    }

    private UserAccount NewAccount(ExternalIdentity identity)
    {
        var userId = SecureIds.NewId();
        var name = identity.Name ?? identity.VerifiedEmail ?? identity.Provider + " user";
        return new UserAccount
        {
            UserId = userId,
            Key = UserKeys.ForUserId(userId),
            // Note: for display only (sessions show it); an external account has no username to log in with.
            Username = name.Length > 64 ? name[..64] : name,
            NormalizedUsername = "",
            PasswordHash = "",
            CreatedAt = time.GetUtcNow(),
            ExternalIdentities = [Linked(identity)],
        };
    }

    private LinkedIdentity Linked(ExternalIdentity identity) =>
        new(identity.Provider, identity.Subject, identity.VerifiedEmail, time.GetUtcNow());
}
