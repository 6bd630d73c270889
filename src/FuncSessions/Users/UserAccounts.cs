using System.Diagnostics;
using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Throttling;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Users;

public enum RegistrationOutcome
{
    Created,
    InvalidUsername,
    UsernameTaken,
}

public enum LoginOutcome
{
    Succeeded,

    /// <summary>Unknown user or wrong password: indistinguishable to the caller.</summary>
    Failed,

    /// <summary>The name is locked or must wait (<see cref="LoginResult.RetryAfter"/>); the password was not checked.</summary>
    Throttled,
}

public sealed record LoginResult(LoginOutcome Outcome, UserAccount? User = null, TimeSpan? RetryAfter = null);

public enum PasswordChangeOutcome
{
    Changed,
    WrongPassword,

    /// <summary>The account row changed between the check and the write (another password change); nothing was written.</summary>
    Conflict,

    /// <summary>Too many failed attempts on the account: the current password was not checked.</summary>
    Throttled,
}

/// <summary>Registration, credential checks and password changes.</summary>
public sealed class UserAccounts(
    IUserStore store,
    PasswordHasher hasher,
    HashingSlots hashingSlots,
    AccountThrottle throttle,
    LogHash logHash,
    TimeProvider time,
    ILogger<UserAccounts> logger)
{
    /// <summary>
    /// Creates the account; the password must already satisfy <see cref="PasswordPolicy"/>. The password is hashed
    /// whether or not the name is free, so the time taken does not tell.
    /// </summary>
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
            PasswordHash = await HashAsync(password, cancellationToken),
            CreatedAt = time.GetUtcNow(),
        };
        if (!await store.TryCreateAsync(user, cancellationToken))
        {
            logger.RegistrationForTakenName();
            return (RegistrationOutcome.UsernameTaken, null);
        }

        logger.UserRegistered(logHash.Of(user.UserId));
        return (RegistrationOutcome.Created, user);
    }

    /// <summary>
    /// Checks a password against the account, behind the per-account throttle (<see cref="AccountThrottle"/>). Unknown
    /// users, wrong passwords and throttled names each cost one password hash (a dummy one where there is nothing to
    /// check), and the account and its counter are read in parallel, so the time taken does not tell them apart. A hash
    /// made with another algorithm or an older, cheaper setting is replaced by one at the current setting.
    /// </summary>
    public async Task<LoginResult> VerifyCredentialsAsync(string username, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        var cleaned = Usernames.Clean(username);
        var attemptTask = throttle.BeginAsync(cleaned is null ? username : Usernames.Normalize(cleaned), cancellationToken);
        var userTask = cleaned is null ? Task.FromResult<UserAccount?>(null) : store.FindByNormalizedUsernameAsync(Usernames.Normalize(cleaned), cancellationToken);
        await Task.WhenAll(attemptTask, userTask);
        var (attempt, user) = (await attemptTask, await userTask);

        if (attempt.RetryAfter is { } wait)
        {
            await VerifyAsync(password, null, cancellationToken);
            logger.AccountThrottled(user is null ? null : logHash.Of(user.UserId), attempt.Counter.Count, client.IpAddress, client.UserAgent);
            return new LoginResult(LoginOutcome.Throttled, RetryAfter: wait);
        }

        var verification = await VerifyAsync(password, user?.PasswordHash, cancellationToken);
        if (user is null || verification == PasswordVerification.Failed)
        {
            await attempt.FailedAsync(cancellationToken);
            logger.LoginFailed(user is null ? null : logHash.Of(user.UserId), client.IpAddress, client.UserAgent);
            return new LoginResult(LoginOutcome.Failed);
        }

        await attempt.SucceededAsync(cancellationToken);
        if (verification == PasswordVerification.SucceededRehashNeeded)
        {
            await TryRehashAsync(user, password, cancellationToken);
        }

        logger.LoginSucceeded(logHash.Of(user.UserId), client.IpAddress, client.UserAgent);
        return new LoginResult(LoginOutcome.Succeeded, user);
    }

    /// <summary>Replaces the password after checking the current one (throttled like a login).</summary>
    public async Task<(PasswordChangeOutcome Outcome, UserAccount? User, TimeSpan? RetryAfter)> ChangePasswordAsync(
        string username, string currentPassword, string newPassword, ClientInfo client, CancellationToken cancellationToken)
    {
        var login = await VerifyCredentialsAsync(username, currentPassword, client, cancellationToken);
        if (login.Outcome == LoginOutcome.Throttled)
        {
            return (PasswordChangeOutcome.Throttled, null, login.RetryAfter);
        }

        if (login.User is not { } user)
        {
            return (PasswordChangeOutcome.WrongPassword, null, null);
        }

        // Note: re-read so the conditional write is based on the row as it is now (a rehash may have just replaced it).
        var current = await store.FindByNormalizedUsernameAsync(user.NormalizedUsername, cancellationToken) ?? user;
        var changed = current with
        {
            PasswordHash = await HashAsync(newPassword, cancellationToken),
            PasswordChangedAt = time.GetUtcNow(),
            CredentialVersion = current.CredentialVersion + 1,
        };
        if (!await store.TryReplaceAsync(changed, cancellationToken) && !await WasWrittenAsync(changed, cancellationToken))
        {
            return (PasswordChangeOutcome.Conflict, null, null);
        }

        logger.PasswordChanged(logHash.Of(user.UserId), client.IpAddress, client.UserAgent);
        return (PasswordChangeOutcome.Changed, changed, null);
    }

    private async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        using (await hashingSlots.EnterAsync(cancellationToken))
        {
            return hasher.Hash(password);
        }
    }

    /// <summary>
    /// Verifies inside a hashing slot; a failure is answered no sooner than the slowest verification takes (a wait, not
    /// CPU), so an account whose hash is still PBKDF2 looks like any other while Argon2id is configured, and the reverse.
    /// </summary>
    private async Task<PasswordVerification> VerifyAsync(string password, string? storedHash, CancellationToken cancellationToken)
    {
        PasswordVerification verification;
        long started;
        using (await hashingSlots.EnterAsync(cancellationToken))
        {
            started = Stopwatch.GetTimestamp();
            verification = hasher.Verify(password, storedHash);
        }

        if (verification == PasswordVerification.Failed && hasher.SlowestVerification - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } remaining)
        {
            // Note: real time on purpose, not TimeProvider: what must not differ is the time a client measures.
            await Task.Delay(remaining, cancellationToken);
        }

        return verification;
    }

    // Note: the login has already succeeded; with every hashing slot busy the upgrade waits for a later login.
    private async Task TryRehashAsync(UserAccount user, string password, CancellationToken cancellationToken)
    {
        string hash;
        using (var slot = await hashingSlots.TryEnterAsync(cancellationToken))
        {
            if (slot is null)
            {
                return;
            }

            hash = hasher.Hash(password);
        }

        // Note: losing this race to a concurrent login or password change is harmless; the next login retries.
        if (await store.TryReplaceAsync(user with { PasswordHash = hash }, cancellationToken))
        {
            logger.PasswordRehashed(logHash.Of(user.UserId));
        }
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
