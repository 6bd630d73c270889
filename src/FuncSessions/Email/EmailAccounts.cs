using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Users;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Email;

public enum PasswordResetOutcome
{
    Reset,

    /// <summary>Unknown, used, expired or superseded token, or the password changed since it was sent.</summary>
    InvalidLink,

    /// <summary>The new password breaks the policy; the link still works.</summary>
    WeakPassword,

    /// <summary>The account changed between the check and the write; the link was used up and nothing else written.</summary>
    Conflict,
}

public enum EmailChangeOutcome
{
    Changed,
    InvalidLink,

    /// <summary>The new address belongs to another account by now.</summary>
    Taken,

    Conflict,
}

/// <summary>What the links in the mails do: verify the address, reset the password, move the account to a new address.</summary>
public sealed class EmailAccounts(
    IUserStore store, OneTimeTokens tokens, PasswordHasher hasher, HashingSlots hashingSlots, PasswordPolicy passwordPolicy, TimeProvider time, LogHash logHash, ILogger<EmailAccounts> logger)
{
    private const int Rounds = 4;

    public async Task<bool> VerifyAsync(string? presented, CancellationToken cancellationToken)
    {
        var (token, user) = await RedeemAsync(presented, OneTimeTokenKind.VerifyEmail, cancellationToken);
        // Note: setting the flag is idempotent, so a write that loses to another writer re-reads and tries again.
        for (var round = 0; user is not null && user.NormalizedEmail == token?.NormalizedEmail && round < Rounds; round++)
        {
            if (user.EmailVerified || await store.TryReplaceAsync(user with { EmailVerified = true }, cancellationToken))
            {
                logger.EmailVerified(logHash.Of(user.UserId));
                return true;
            }

            user = await store.FindByKeyAsync(user.Key, cancellationToken);
        }

        return false;
    }

    /// <summary>
    /// Sets a new password from a reset link: the same conditional write as a password change, which bumps the credential
    /// version (so the link, every other link and every session issued before die with the old password). The caller
    /// then revokes all sessions. A reset also verifies the address: the link proves the user reads its mail.
    /// </summary>
    public async Task<(PasswordResetOutcome Outcome, UserAccount? User, (string Code, string Detail)? Weak)> ResetPasswordAsync(
        string? presented, string newPassword, CancellationToken cancellationToken)
    {
        if (await tokens.FindAsync(presented, OneTimeTokenKind.ResetPassword, cancellationToken) is not { } token
            || await CurrentUserAsync(token, cancellationToken) is not { } user)
        {
            return (PasswordResetOutcome.InvalidLink, null, null);
        }

        // Note: checked before the link is used up, so a refused password does not cost the user the link.
        if (passwordPolicy.Check(newPassword, user.Username) is { } weak)
        {
            return (PasswordResetOutcome.WeakPassword, null, weak);
        }

        // Note: hashed before the link is used up too, so a 503 server_busy (every hashing slot taken) leaves the link usable.
        string hash;
        using (await hashingSlots.EnterAsync(cancellationToken))
        {
            hash = hasher.Hash(newPassword);
        }

        if (!await tokens.TryConsumeAsync(token, cancellationToken))
        {
            return (PasswordResetOutcome.InvalidLink, null, null);
        }

        var changed = user with
        {
            PasswordHash = hash,
            PasswordChangedAt = time.GetUtcNow(),
            CredentialVersion = user.CredentialVersion + 1,
            EmailVerified = user.EmailVerified || user.NormalizedEmail == token.NormalizedEmail,
        };
        // Note: a replace whose response was lost is retried by the SDK and then fails its precondition against our own
        // write; the new hash has a fresh salt, so finding it stored proves the write landed (as in password change).
        if (!await store.TryReplaceAsync(changed, cancellationToken)
            && (await store.FindByKeyAsync(user.Key, cancellationToken))?.PasswordHash != changed.PasswordHash)
        {
            return (PasswordResetOutcome.Conflict, null, null);
        }

        logger.PasswordReset(logHash.Of(user.UserId));
        return (PasswordResetOutcome.Reset, changed, null);
    }

    /// <summary>Moves the account to the address the link was sent to (which it thereby verifies).</summary>
    public async Task<EmailChangeOutcome> ConfirmChangeAsync(string? presented, CancellationToken cancellationToken)
    {
        var (token, user) = await RedeemAsync(presented, OneTimeTokenKind.ChangeEmail, cancellationToken);
        if (token is null || user is null)
        {
            return EmailChangeOutcome.InvalidLink;
        }

        if (!await store.TryClaimEmailAsync(token.NormalizedEmail, user, cancellationToken))
        {
            return EmailChangeOutcome.Taken;
        }

        var changed = user with
        {
            Email = token.Email,
            NormalizedEmail = token.NormalizedEmail,
            EmailVerified = true,
            // Note: an account without a username is shown by its address.
            Username = user.NormalizedUsername.Length > 0 ? user.Username : token.Email,
        };
        if (!await store.TryReplaceAsync(changed, cancellationToken))
        {
            await store.ReleaseEmailAsync(token.NormalizedEmail, user.UserId, cancellationToken);
            return EmailChangeOutcome.Conflict;
        }

        if (user.NormalizedEmail is { } old && old != token.NormalizedEmail)
        {
            await store.ReleaseEmailAsync(old, user.UserId, cancellationToken);
        }

        logger.EmailChanged(logHash.Of(user.UserId));
        return EmailChangeOutcome.Changed;
    }

    /// <summary>The checked token and its account, the token used up; nulls when any check fails.</summary>
    private async Task<(StoredOneTimeToken? Token, UserAccount? User)> RedeemAsync(string? presented, OneTimeTokenKind kind, CancellationToken cancellationToken)
    {
        if (await tokens.FindAsync(presented, kind, cancellationToken) is not { } token
            || await CurrentUserAsync(token, cancellationToken) is not { } user
            || !await tokens.TryConsumeAsync(token, cancellationToken))
        {
            return (null, null);
        }

        return (token, user);
    }

    // Note: a password change or reset since the token was minted bumped the version: the token died with that password.
    private async Task<UserAccount?> CurrentUserAsync(StoredOneTimeToken token, CancellationToken cancellationToken) =>
        await store.FindByKeyAsync(token.UserKey, cancellationToken) is { } user
            && user.UserId == token.UserId && user.CredentialVersion == token.CredentialVersion
            ? user
            : null;
}
