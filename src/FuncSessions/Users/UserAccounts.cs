using FuncSessions.Passwords;
using FuncSessions.Sessions;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Users;

public enum RegistrationOutcome
{
    Created,
    InvalidUsername,
    UsernameTaken,
}

public enum PasswordChangeOutcome
{
    Changed,
    WrongPassword,

    /// <summary>The account row changed between the check and the write (another password change); nothing was written.</summary>
    Conflict,
}

/// <summary>Registration, credential checks and password changes.</summary>
public sealed class UserAccounts(IUserStore store, PasswordHasher hasher, TimeProvider time, ILogger<UserAccounts> logger)
{
    /// <summary>Creates the account; the password must already satisfy <see cref="PasswordPolicy"/>.</summary>
    public async Task<(RegistrationOutcome Outcome, UserAccount? User)> RegisterAsync(string username, string password, CancellationToken cancellationToken)
    {
        if (Usernames.Clean(username) is not { } cleaned)
        {
            return (RegistrationOutcome.InvalidUsername, null);
        }

        var user = new UserAccount
        {
            UserId = SecureIds.NewId(),
            Username = cleaned,
            NormalizedUsername = Usernames.Normalize(cleaned),
            PasswordHash = hasher.Hash(password),
            CreatedAt = time.GetUtcNow(),
        };
        if (!await store.TryCreateAsync(user, cancellationToken))
        {
            return (RegistrationOutcome.UsernameTaken, null);
        }

        logger.UserRegistered(LogHash.Of(user.UserId));
        return (RegistrationOutcome.Created, user);
    }

    /// <summary>
    /// The account when the password matches, else null. Unknown users cost the same hash as known ones, and a
    /// hash made with an older, cheaper setting is replaced by one at the current cost.
    /// </summary>
    public async Task<UserAccount?> VerifyCredentialsAsync(string username, string password, CancellationToken cancellationToken)
    {
        var cleaned = Usernames.Clean(username);
        var user = cleaned is null ? null : await store.FindByNormalizedUsernameAsync(Usernames.Normalize(cleaned), cancellationToken);
        var verification = hasher.Verify(password, user?.PasswordHash);
        if (user is null || verification == PasswordVerification.Failed)
        {
            logger.LoginFailed(user is null ? null : LogHash.Of(user.UserId));
            return null;
        }

        if (verification == PasswordVerification.SucceededRehashNeeded)
        {
            var upgraded = user with { PasswordHash = hasher.Hash(password) };
            // Note: losing this race to a concurrent login or password change is harmless; the next login retries.
            if (await store.TryReplaceAsync(upgraded, cancellationToken))
            {
                logger.PasswordRehashed(LogHash.Of(user.UserId));
            }
        }

        logger.LoginSucceeded(LogHash.Of(user.UserId));
        return user;
    }

    /// <summary>Replaces the password after checking the current one.</summary>
    public async Task<(PasswordChangeOutcome Outcome, UserAccount? User)> ChangePasswordAsync(
        string username, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        if (await VerifyCredentialsAsync(username, currentPassword, cancellationToken) is not { } user)
        {
            return (PasswordChangeOutcome.WrongPassword, null);
        }

        // Note: re-read so the conditional write is based on the row as it is now (a rehash may have just replaced it).
        var current = await store.FindByNormalizedUsernameAsync(user.NormalizedUsername, cancellationToken) ?? user;
        var changed = current with { PasswordHash = hasher.Hash(newPassword), PasswordChangedAt = time.GetUtcNow() };
        if (!await store.TryReplaceAsync(changed, cancellationToken) && !await WasWrittenAsync(changed, cancellationToken))
        {
            return (PasswordChangeOutcome.Conflict, null);
        }

        logger.PasswordChanged(LogHash.Of(user.UserId));
        return (PasswordChangeOutcome.Changed, changed);
    }

    /// <summary>
    /// Whether a replace that reported a conflict had in fact landed: the SDK retries a write whose response was lost,
    /// and the retry fails its ETag precondition against the row the first attempt wrote. The new hash has a fresh
    /// random salt, so finding it stored proves the write was ours. Without this, the password would be changed while
    /// the caller is told it was not, and the other sessions would stay alive.
    /// </summary>
    private async Task<bool> WasWrittenAsync(UserAccount changed, CancellationToken cancellationToken) =>
        (await store.FindByNormalizedUsernameAsync(changed.NormalizedUsername, cancellationToken))?.PasswordHash == changed.PasswordHash;
}
