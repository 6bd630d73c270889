using Azure;
using Azure.Data.Tables;
using FuncSessions.Users;

namespace FuncSessions.Storage;

/// <summary>
/// Users keyed by <see cref="UserKeys"/> (PartitionKey = RowKey = escaped normalised username, its hash where that is
/// too long, or <c>u|{userId}</c> for an email-only account): login is one point read, or two by email (the
/// <c>e|</c> index row, then the account). Rows never move, so every re-read goes to <see cref="UserAccount.Key"/>.
/// Note: the RowKey repeats the PartitionKey instead of being constant because Azurite's point reads degrade to
/// a table scan with a constant RowKey (research/table-storage.md §4.4).
/// </summary>
public sealed class TableUserStore(TableClients tables) : IUserStore
{
    internal const string IndexUserIdProperty = "UserId";
    internal const string IndexUserKeyProperty = "UserKey";

    public Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        FindByKeyAsync(UserKeys.ForUsername(normalizedUsername), cancellationToken);

    public async Task<UserAccount?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        var response = await tables.Users.GetEntityIfExistsAsync<UserEntity>(key, key, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToAccount() : null;
    }

    public async Task<UserAccount?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        if (await ReadIndexAsync(normalizedEmail, cancellationToken) is not { } index)
        {
            return null;
        }

        var user = await FindByKeyAsync(index.GetString(IndexUserKeyProperty) ?? "", cancellationToken);
        return user is not null && user.UserId == index.GetString(IndexUserIdProperty) && user.NormalizedEmail == normalizedEmail ? user : null;
    }

    public async Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Users.AddEntityAsync(UserEntity.From(user), cancellationToken);
            // Note: after the account row, so a taken name never leaves an index row behind; a registration that stops
            // between the two writes is found by TableUserDirectory's scan, which writes the row then.
            await TableUserDirectory.IndexUserIdAsync(tables, user, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Note: the SDK retries a write whose response was lost, and the retry then finds the row it created;
            // the random user id tells our own row from someone else's.
            if ((await FindByKeyAsync(user.Key, cancellationToken))?.UserId != user.UserId)
            {
                return false;
            }

            await TableUserDirectory.IndexUserIdAsync(tables, user, cancellationToken);
            return true;
        }
    }

    public async Task<bool> TryReplaceAsync(UserAccount user, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Users.UpdateEntityAsync(UserEntity.From(user), new ETag(user.Version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<bool> TryClaimEmailAsync(string normalizedEmail, UserAccount user, CancellationToken cancellationToken)
    {
        var key = UserKeys.ForEmail(normalizedEmail);
        var row = new TableEntity(key, key) { [IndexUserIdProperty] = user.UserId, [IndexUserKeyProperty] = user.Key };
        try
        {
            await tables.Users.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Note: as with usernames, a retried insert recognises its own row by the user id.
            if (await ReadIndexAsync(normalizedEmail, cancellationToken) is not { } existing)
            {
                return false;
            }

            if (existing.GetString(IndexUserIdProperty) == user.UserId)
            {
                return true;
            }

            // Note: an index row whose account does not hold the address is left over from a registration or change
            // that stopped between its two writes; it is taken over, conditional on its ETag so two claimants cannot both win.
            var holder = await FindByKeyAsync(existing.GetString(IndexUserKeyProperty) ?? "", cancellationToken);
            if (holder is not null && holder.UserId == existing.GetString(IndexUserIdProperty) && holder.NormalizedEmail == normalizedEmail)
            {
                return false;
            }

            try
            {
                await tables.Users.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException conflict) when (conflict.Status is 404 or 412)
            {
                return false;
            }
        }
    }

    public async Task ReleaseEmailAsync(string normalizedEmail, string userId, CancellationToken cancellationToken)
    {
        if (await ReadIndexAsync(normalizedEmail, cancellationToken) is { } existing && existing.GetString(IndexUserIdProperty) == userId)
        {
            // Note: a 412 means another account took the row over meanwhile; it is theirs now. A 404 is a response, not an error.
            try
            {
                await tables.Users.DeleteEntityAsync(existing.PartitionKey, existing.RowKey, existing.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
            }
        }
    }

    private async Task<TableEntity?> ReadIndexAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var key = UserKeys.ForEmail(normalizedEmail);
        var response = await tables.Users.GetEntityIfExistsAsync<TableEntity>(key, key, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    internal sealed class UserEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string UserId { get; set; } = "";

        public string Username { get; set; } = "";

        public string NormalizedUsername { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset? PasswordChangedAt { get; set; }

        public int CredentialVersion { get; set; }

        public string? Email { get; set; }

        public string? NormalizedEmail { get; set; }

        public bool EmailVerified { get; set; }

        public bool Disabled { get; set; }

        public DateTimeOffset? DisabledAt { get; set; }

        /// <summary>JSON (<see cref="External.LinkedIdentities"/>); absent on accounts without external identities.</summary>
        public string? ExternalIdentities { get; set; }

        public static UserEntity From(UserAccount user) => new()
        {
            PartitionKey = user.Key,
            RowKey = user.Key,
            UserId = user.UserId,
            Username = user.Username,
            NormalizedUsername = user.NormalizedUsername,
            PasswordHash = user.PasswordHash,
            CreatedAt = user.CreatedAt,
            PasswordChangedAt = user.PasswordChangedAt,
            CredentialVersion = user.CredentialVersion,
            Email = user.Email,
            NormalizedEmail = user.NormalizedEmail,
            EmailVerified = user.EmailVerified,
            Disabled = user.Disabled,
            DisabledAt = user.DisabledAt,
            ExternalIdentities = External.LinkedIdentities.Serialize(user.ExternalIdentities),
        };

        public UserAccount ToAccount() => new()
        {
            UserId = UserId,
            Key = PartitionKey,
            Username = Username,
            NormalizedUsername = NormalizedUsername,
            PasswordHash = PasswordHash,
            CreatedAt = CreatedAt,
            PasswordChangedAt = PasswordChangedAt,
            CredentialVersion = CredentialVersion,
            Email = Email,
            NormalizedEmail = NormalizedEmail,
            EmailVerified = EmailVerified,
            Disabled = Disabled,
            DisabledAt = DisabledAt,
            ExternalIdentities = External.LinkedIdentities.Deserialize(ExternalIdentities),
            Version = ETag.ToString(),
        };
    }
}
