using Azure;
using Azure.Data.Tables;
using FuncSessions.External;
using FuncSessions.Users;

namespace FuncSessions.Storage;

/// <summary>
/// External identity index rows in the users table, keyed <see cref="UserKeys.ForExternalIdentity"/> (PartitionKey =
/// RowKey, as the other rows there): a sign-in finds its account with two point reads, this row and the account's.
/// </summary>
public sealed class TableExternalIdentityStore(TableClients tables) : IExternalIdentityStore
{
    public async Task<IdentityIndex?> FindAsync(string provider, string subject, CancellationToken cancellationToken)
    {
        var key = UserKeys.ForExternalIdentity(provider, subject);
        var response = await tables.Users.GetEntityIfExistsAsync<TableEntity>(key, key, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } row
            ? new IdentityIndex(row.GetString(TableUserStore.IndexUserIdProperty) ?? "", row.GetString(TableUserStore.IndexUserKeyProperty) ?? "", row.ETag.ToString())
            : null;
    }

    public async Task<bool> TryClaimAsync(
        string provider, string subject, UserAccount user, IdentityIndex? replacing, CancellationToken cancellationToken)
    {
        var key = UserKeys.ForExternalIdentity(provider, subject);
        var row = new TableEntity(key, key) { [TableUserStore.IndexUserIdProperty] = user.UserId, [TableUserStore.IndexUserKeyProperty] = user.Key };
        try
        {
            if (replacing is null)
            {
                await tables.Users.AddEntityAsync(row, cancellationToken);
            }
            else
            {
                await tables.Users.UpdateEntityAsync(row, new ETag(replacing.Version), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // Note: the SDK retries a write whose response was lost; the retry then finds our own row.
            return (await FindAsync(provider, subject, cancellationToken))?.UserId == user.UserId;
        }
    }

    public async Task ReleaseAsync(string provider, string subject, string userId, CancellationToken cancellationToken)
    {
        if (await FindAsync(provider, subject, cancellationToken) is { } index && index.UserId == userId)
        {
            try
            {
                await tables.Users.DeleteEntityAsync(
                    UserKeys.ForExternalIdentity(provider, subject), UserKeys.ForExternalIdentity(provider, subject), new ETag(index.Version), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Note: another account took the row over meanwhile; it is theirs now.
            }
        }
    }
}
