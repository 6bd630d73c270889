using Azure;
using Azure.Data.Tables;
using FuncSessions.Users;

namespace FuncSessions.Storage;

/// <summary>
/// What administration needs of the users table beyond <see cref="IUserStore"/>: finding an account by user id, and
/// deleting its rows. Never on a request path of the public API.
/// </summary>
public sealed class TableUserDirectory(TableClients tables, IUserStore users)
{
    /// <summary>
    /// The account with this user id: a point read of <c>u|{userId}</c> (email-only accounts), else the <c>i|</c> index row
    /// and the account it names (three point reads at most). Accounts registered before that index existed are found by
    /// a scan of the users table, which then writes their index row.
    /// </summary>
    public async Task<UserAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        if (await users.FindByKeyAsync(UserKeys.ForUserId(userId), cancellationToken) is { } emailOnly && emailOnly.UserId == userId)
        {
            return emailOnly;
        }

        var indexKey = UserKeys.ForUserIdIndex(userId);
        var index = await tables.Users.GetEntityIfExistsAsync<TableEntity>(indexKey, indexKey, cancellationToken: cancellationToken);
        if (index.HasValue && await users.FindByKeyAsync(index.Value!.GetString(TableUserStore.IndexUserKeyProperty) ?? "", cancellationToken) is { } indexed
            && indexed.UserId == userId)
        {
            return indexed;
        }

        // Note: accounts registered before the i| index (or whose registration stopped before writing it) are found by a
        // scan filtered on UserId, which the service applies but which reads the whole table: an administrator's cost,
        // paid once per such account, since it writes the missing index row.
        await foreach (var entity in tables.Users.QueryAsync<TableUserStore.UserEntity>(
            TableClient.CreateQueryFilter($"UserId eq {userId}"), cancellationToken: cancellationToken))
        {
            // Note: the e|, i| and x| index rows carry a UserId too; every other row is an account.
            if (!entity.PartitionKey.StartsWith("e|", StringComparison.Ordinal) && !entity.PartitionKey.StartsWith("i|", StringComparison.Ordinal)
                && !entity.PartitionKey.StartsWith("x|", StringComparison.Ordinal))
            {
                var found = entity.ToAccount();
                await IndexUserIdAsync(tables, found, cancellationToken);
                return found;
            }
        }

        return null;
    }

    /// <summary>Deletes the account row and its user-id index row; missing rows are not an error.</summary>
    public async Task DeleteAsync(string userId, string? userKey, CancellationToken cancellationToken)
    {
        // Note: DeleteEntity answers a missing row with a 404 response instead of throwing, so both deletes are idempotent.
        if (userKey is not null)
        {
            await tables.Users.DeleteEntityAsync(userKey, userKey, ETag.All, cancellationToken);
        }

        var index = UserKeys.ForUserIdIndex(userId);
        await tables.Users.DeleteEntityAsync(index, index, ETag.All, cancellationToken);
    }

    internal static Task IndexUserIdAsync(TableClients tables, UserAccount user, CancellationToken cancellationToken)
    {
        var key = UserKeys.ForUserIdIndex(user.UserId);
        return tables.Users.UpsertEntityAsync(
            new TableEntity(key, key) { [TableUserStore.IndexUserIdProperty] = user.UserId, [TableUserStore.IndexUserKeyProperty] = user.Key },
            TableUpdateMode.Replace, cancellationToken);
    }
}
