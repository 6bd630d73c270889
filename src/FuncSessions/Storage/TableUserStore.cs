using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using FuncSessions.Users;

namespace FuncSessions.Storage;

/// <summary>
/// Users keyed by normalised username (PartitionKey = RowKey = escaped name, or its hash where that is too long): login
/// is one point read.
/// Note: the RowKey repeats the PartitionKey instead of being constant because Azurite's point reads degrade to
/// a table scan with a constant RowKey (research/table-storage.md §4.4).
/// </summary>
public sealed class TableUserStore(TableClients tables) : IUserStore
{
    private const int MaxKeyLength = 512;

    public async Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken)
    {
        var key = Key(normalizedUsername);
        var response = await tables.Users.GetEntityIfExistsAsync<UserEntity>(key, key, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToAccount() : null;
    }

    public async Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Users.AddEntityAsync(UserEntity.From(user, Key(user.NormalizedUsername)), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Note: the SDK retries a write whose response was lost, and the retry then finds the row it created;
            // the random user id tells our own row from someone else's.
            return (await FindByNormalizedUsernameAsync(user.NormalizedUsername, cancellationToken))?.UserId == user.UserId;
        }
    }

    public async Task<bool> TryReplaceAsync(UserAccount user, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Users.UpdateEntityAsync(
                UserEntity.From(user, Key(user.NormalizedUsername)), new ETag(user.Version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    // Note: keys may not contain / \ # ? or control characters; escaping keeps any Unicode name storable. Escaping can
    // grow a 64-character name past the key limit (1 KiB: 512 characters), so a longer escaped form is replaced by a
    // SHA-256 of the name. '|' is always escaped, so the two forms never meet, and every name that was storable before
    // keeps the key it was stored under.
    private static string Key(string normalizedUsername)
    {
        var escaped = Uri.EscapeDataString(normalizedUsername);
        return escaped.Length <= MaxKeyLength
            ? escaped
            : "h|" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedUsername)));
    }

    private sealed class UserEntity : ITableEntity
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

        public static UserEntity From(UserAccount user, string key) => new()
        {
            PartitionKey = key,
            RowKey = key,
            UserId = user.UserId,
            Username = user.Username,
            NormalizedUsername = user.NormalizedUsername,
            PasswordHash = user.PasswordHash,
            CreatedAt = user.CreatedAt,
            PasswordChangedAt = user.PasswordChangedAt,
            CredentialVersion = user.CredentialVersion,
        };

        public UserAccount ToAccount() => new()
        {
            UserId = UserId,
            Username = Username,
            NormalizedUsername = NormalizedUsername,
            PasswordHash = PasswordHash,
            CreatedAt = CreatedAt,
            PasswordChangedAt = PasswordChangedAt,
            CredentialVersion = CredentialVersion,
            Version = ETag.ToString(),
        };
    }
}
