using Azure;
using Azure.Data.Tables;
using FuncSessions.Email;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Throttling;
using FuncSessions.Users;
using Microsoft.Extensions.Options;

namespace FuncSessions.Admin;

/// <summary>What an administrator does to accounts and sessions (ASVS 7.4.2, 7.4.5). Each operation is idempotent.</summary>
public sealed class UserAdministration(
    IUserStore users,
    TableUserDirectory directory,
    ISessionStore sessions,
    SessionRevocation revocation,
    TableClients tables,
    IThrottleStore throttles,
    IOptions<SessionOptions> sessionOptions,
    IOptions<ThrottleOptions> throttleOptions,
    TimeProvider time)
{
    // Note: compare-and-swap rounds for the disable/enable write; each lost round is a login's rehash or a password change.
    private const int MaxRounds = 5;
    private const int Parallelism = 16;

    public Task<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        SecureIds.IsWellFormedId(userId) ? directory.FindByIdAsync(userId, cancellationToken) : Task.FromResult<UserAccount?>(null);

    public Task<UserAccount?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        Usernames.Clean(username) is { } cleaned
            ? users.FindByNormalizedUsernameAsync(Usernames.Normalize(cleaned), cancellationToken)
            : Task.FromResult<UserAccount?>(null);

    public Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        EmailAddresses.Clean(email) is { } cleaned
            ? users.FindByEmailAsync(EmailAddresses.Normalize(cleaned), cancellationToken)
            : Task.FromResult<UserAccount?>(null);

    public async Task<int> LiveSessionCountAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await sessions.ListAsync(userId, cancellationToken)).Count(s => s.IsLiveAt(now, sessionOptions.Value));
    }

    /// <summary>
    /// Disables or enables the account; disabling ends all its sessions. The write that sets <c>Disabled</c> also bumps
    /// <see cref="UserAccount.CredentialVersion"/>, so a login that read the row before it and writes its session after
    /// the revocation's listing withdraws that session (<see cref="SessionIssuer"/>): none slips through. Null when
    /// there is no such account (or its row kept changing).
    /// </summary>
    public async Task<(UserAccount User, int SessionsEnded)?> SetDisabledAsync(string userId, bool disabled, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            if (await FindByIdAsync(userId, cancellationToken) is not { } user)
            {
                return null;
            }

            var changed = disabled
                ? user.Disabled ? user : user with { Disabled = true, DisabledAt = time.GetUtcNow(), CredentialVersion = user.CredentialVersion + 1 }
                : user with { Disabled = false, DisabledAt = null };
            if (changed == user || await users.TryReplaceAsync(changed, cancellationToken))
            {
                // Note: revoked even when the account was already disabled, so a repeated call also mops up after a first
                // one that stopped between its two steps.
                var ended = disabled ? await revocation.RevokeAllAsync(userId, null, cancellationToken) : 0;
                return (changed, ended);
            }
        }

        return null;
    }

    /// <summary>Ends every session of the user (their rows, which validate and refresh read: at once). Null when there is no such account.</summary>
    public async Task<int?> EndSessionsAsync(string userId, CancellationToken cancellationToken) =>
        await FindByIdAsync(userId, cancellationToken) is null ? null : await revocation.RevokeAllAsync(userId, null, cancellationToken);

    /// <summary>
    /// Deletes everything keyed by the user: the account row first (so a login in flight withdraws the session it is
    /// writing), its user-id and email index rows, its sessions and their expiry-index entries, its one-time tokens and
    /// their entries, and the throttle rows of its login names. Safe to repeat: every delete is idempotent, and with the
    /// account gone the rows keyed by the user id alone are still found and deleted.
    /// </summary>
    /// <returns>Whether an account was found, and how many sessions were ended.</returns>
    public async Task<(bool Existed, int SessionsEnded)> DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        if (!SecureIds.IsWellFormedId(userId))
        {
            return (false, 0);
        }

        var user = await directory.FindByIdAsync(userId, cancellationToken);
        await directory.DeleteAsync(userId, user?.Key, cancellationToken);
        if (user?.NormalizedEmail is { } email)
        {
            await users.ReleaseEmailAsync(email, userId, cancellationToken);
        }

        var ended = await DeleteSessionsAsync(userId, cancellationToken);
        await DeleteTokensAsync(userId, cancellationToken);
        if (user is not null)
        {
            foreach (var name in UserAccounts.LoginNames(user))
            {
                await DeleteThrottleAsync(ThrottleKeys.Account(name), cancellationToken);
            }
        }

        return (user is not null, ended);
    }

    /// <summary>
    /// Ends every session of every user: a scan of the sessions table (keys only, pages of 1,000) and a batch delete
    /// per user partition. Their expiry-index entries are left to the sweep, which meets each as an already-deleted
    /// session (one call, what its expiry would have cost): deleting them here could remove the entry of a session
    /// written while this runs, which would then never be swept.
    /// </summary>
    public async Task<int> EndAllSessionsAsync(CancellationToken cancellationToken)
    {
        var ended = 0;
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"s|"} and RowKey lt {"s}"}");
        await foreach (var page in tables.Sessions.QueryAsync<TableEntity>(filter, 1000, ["PartitionKey", "RowKey"], cancellationToken).AsPages())
        {
            await Parallel.ForEachAsync(page.Values.GroupBy(e => e.PartitionKey),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (partition, ct) =>
                {
                    var keys = partition.Select(e => e.RowKey).ToList();
                    await TableBatches.DeleteAsync(tables.Sessions, partition.Key, keys, ct);
                    Interlocked.Add(ref ended, keys.Count);
                });
        }

        return ended;
    }

    private async Task<int> DeleteSessionsAsync(string userId, CancellationToken cancellationToken)
    {
        var all = await sessions.ListAsync(userId, cancellationToken);
        await TableBatches.DeleteAsync(tables.Sessions, userId, [.. all.Select(s => SessionRow.Key(s.SessionId))], cancellationToken);
        foreach (var session in all)
        {
            // Note: an entry is written at the session's first deadline and moved only by the sweep, to the deadline it
            // finds; both are tried. An entry the sweep moved before a later refresh is the one this can miss: the
            // sweep deletes it at its hour, finding the session gone.
            var first = session.CreatedAt + sessionOptions.Value.IdleTimeout;
            foreach (var deadline in new[] { first < session.AbsoluteExpiresAt ? first : session.AbsoluteExpiresAt, TableSessionStore.StoredDeadline(session) }.Distinct())
            {
                var entry = ExpiryIndex.Entry(userId, session.SessionId, deadline, "", tables.ExpiryIndexShards);
                await tables.SessionExpiry.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, ETag.All, cancellationToken);
            }
        }

        return all.Count;
    }

    // Note: the row's latest failure wrote its index entry at the expiry the row now records; an entry of an earlier
    // failure in another hour is met by the sweep as an already-deleted row.
    private async Task DeleteThrottleAsync(string key, CancellationToken cancellationToken)
    {
        var counter = await throttles.FindAsync(key, cancellationToken);
        await throttles.DeleteAsync(key, cancellationToken);
        if (counter.Version.Length > 0)
        {
            var entry = ThrottleExpiryIndex.Entry(counter, throttleOptions.Value.AccountFailureMemory);
            await tables.SessionExpiry.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, ETag.All, cancellationToken);
        }
    }

    private async Task DeleteTokensAsync(string userId, CancellationToken cancellationToken)
    {
        await foreach (var token in tables.Tokens.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {userId}"), select: ["PartitionKey", "RowKey", "ExpiresAt"], cancellationToken: cancellationToken))
        {
            await tables.Tokens.DeleteEntityAsync(userId, token.RowKey, ETag.All, cancellationToken);
            if (token.GetDateTimeOffset("ExpiresAt") is { } expires)
            {
                await tables.SessionExpiry.DeleteEntityAsync(TokenExpiryIndex.Bucket(expires), userId + "|" + token.RowKey, ETag.All, cancellationToken);
            }
        }
    }
}
