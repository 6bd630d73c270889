using System.Diagnostics;
using FuncSessions.Admin;
using FuncSessions.Email;
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
    /// Creates the account, with a username, an email address or both (<paramref name="email"/> already
    /// <see cref="EmailAddresses.Clean"/>ed); the password must already satisfy <see cref="PasswordPolicy"/>. The password
    /// is hashed whether or not the name and address are free, so the time taken does not tell.
    /// </summary>
    public async Task<(RegistrationOutcome Outcome, UserAccount? User)> RegisterAsync(
        string? username, string password, CancellationToken cancellationToken, string? email = null)
    {
        var cleaned = username is null ? null : Usernames.Clean(username);
        if ((username is not null && cleaned is null) || (cleaned is null && email is null))
        {
            return (RegistrationOutcome.InvalidUsername, null);
        }

        var userId = SecureIds.NewId();
        var normalized = cleaned is null ? "" : Usernames.Normalize(cleaned);
        var user = new UserAccount
        {
            UserId = userId,
            Key = cleaned is null ? UserKeys.ForUserId(userId) : UserKeys.ForUsername(normalized),
            Username = cleaned ?? email!,
            NormalizedUsername = normalized,
            PasswordHash = await HashPasswordAsync(password, cancellationToken),
            CreatedAt = time.GetUtcNow(),
            Email = email,
            NormalizedEmail = email is null ? null : EmailAddresses.Normalize(email),
        };
        // Note: the address is claimed first; a registration that stops before its account row leaves an index row
        // naming no account, which the next claimant takes over (TableUserStore.TryClaimEmailAsync).
        if (user.NormalizedEmail is { } address && !await store.TryClaimEmailAsync(address, user, cancellationToken))
        {
            logger.RegistrationForTakenName();
            return (RegistrationOutcome.UsernameTaken, null);
        }

        if (!await store.TryCreateAsync(user, cancellationToken))
        {
            if (user.NormalizedEmail is { } claimed)
            {
                await store.ReleaseEmailAsync(claimed, user.UserId, cancellationToken);
            }

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
    public Task<LoginResult> VerifyCredentialsAsync(string username, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        var cleaned = Usernames.Clean(username);
        var userTask = cleaned is null ? Task.FromResult<UserAccount?>(null) : store.FindByNormalizedUsernameAsync(Usernames.Normalize(cleaned), cancellationToken);
        return VerifyAsync(cleaned is null ? username : Usernames.Normalize(cleaned), userTask, password, client, cancellationToken);
    }

    /// <summary>
    /// As <see cref="VerifyCredentialsAsync"/>, by email address: the index row and the account are two point reads, in
    /// parallel with the throttle counter, and an unknown address costs the same reads and the same dummy hash.
    /// </summary>
    public Task<LoginResult> VerifyEmailCredentialsAsync(string email, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        var normalized = EmailAddresses.Clean(email) is { } cleaned ? EmailAddresses.Normalize(cleaned) : email;
        return VerifyAsync(EmailLoginName(normalized), store.FindByEmailAsync(normalized, cancellationToken), password, client, cancellationToken);
    }

    // Note: usernames never contain control characters, so an address's throttle counter can never be a username's.
    private static string EmailLoginName(string normalizedEmail) => "\u0001" + normalizedEmail;

    /// <summary>Every name the account's failed logins are counted under (<see cref="AccountThrottle"/>): its username and its address.</summary>
    internal static IEnumerable<string> LoginNames(UserAccount user)
    {
        if (user.NormalizedUsername.Length > 0)
        {
            yield return user.NormalizedUsername;
        }

        if (user.NormalizedEmail is { } email)
        {
            yield return EmailLoginName(email);
        }
    }

    private static string LoginName(UserAccount user) =>
        user.NormalizedUsername.Length > 0 ? user.NormalizedUsername : EmailLoginName(user.NormalizedEmail ?? user.Key);

    private async Task<LoginResult> VerifyAsync(
        string loginName, Task<UserAccount?> userTask, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        var attemptTask = throttle.BeginAsync(loginName, cancellationToken);
        await Task.WhenAll(attemptTask, userTask);
        var (attempt, user) = (await attemptTask, await userTask);

        if (attempt.RetryAfter is { } wait)
        {
            await VerifyPasswordAsync(password, null, cancellationToken);
            logger.AccountThrottled(user is null ? null : logHash.Of(user.UserId), attempt.Counter.Count, client.IpAddress, client.UserAgent);
            return new LoginResult(LoginOutcome.Throttled, RetryAfter: wait);
        }

        var verification = await VerifyPasswordAsync(password, user?.PasswordHash, cancellationToken);
        // Note: the attempt was counted as a failure before the check (AccountThrottle.BeginAsync); only a success settles it.
        // Note: a disabled account answers exactly as a wrong password does (same counters, same calls, same 401), so
        // the answer does not tell an attacker holding the right password that the account exists but is disabled.
        if (user is null || verification == PasswordVerification.Failed || user.Disabled)
        {
            if (user is { Disabled: true } && verification != PasswordVerification.Failed)
            {
                logger.LoginToDisabledAccount(logHash.Of(user.UserId), client.IpAddress, client.UserAgent);
            }

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
        string userKey, string currentPassword, string newPassword, ClientInfo client, CancellationToken cancellationToken)
    {
        var account = await store.FindByKeyAsync(userKey, cancellationToken);
        var login = await VerifyAsync(account is null ? userKey : LoginName(account), Task.FromResult(account), currentPassword, client, cancellationToken);
        if (login.Outcome == LoginOutcome.Throttled)
        {
            return (PasswordChangeOutcome.Throttled, null, login.RetryAfter);
        }

        if (login.User is not { } user)
        {
            return (PasswordChangeOutcome.WrongPassword, null, null);
        }

        // Note: re-read so the conditional write is based on the row as it is now (a rehash may have just replaced it).
        var current = await store.FindByKeyAsync(user.Key, cancellationToken) ?? user;
        var changed = current with
        {
            PasswordHash = await HashPasswordAsync(newPassword, cancellationToken),
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

    private async Task<string> HashPasswordAsync(string password, CancellationToken cancellationToken)
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
    private async Task<PasswordVerification> VerifyPasswordAsync(string password, string? storedHash, CancellationToken cancellationToken)
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
        (await store.FindByKeyAsync(changed.Key, cancellationToken))?.PasswordHash == changed.PasswordHash;
}
