using Azure;
using Azure.Data.Tables;
using FuncSessions.Passkeys;
using FuncSessions.Sessions;

namespace FuncSessions.Storage;

/// <summary>
/// Passkeys in the Factors table, two rows each: a lookup row (PartitionKey = RowKey = <c>c|</c> + SHA-256 of the
/// credential id, as ids may be longer than a key allows) that sign-in finds with one point read, and a row in the
/// user's partition (RowKey <c>p|</c> + the same hash) that makes the user's list one single-partition query. The lookup
/// row is written first and deleted last, so a listed passkey always works and a working one is always listed once the
/// registration has finished.
/// </summary>
public sealed class TablePasskeyStore(TableClients tables) : IPasskeyStore
{
    private const string UserRowPrefix = "p|";
    private const string UserRowPrefixEnd = "p}";

    public async Task<Passkey?> FindAsync(string credentialId, CancellationToken cancellationToken)
    {
        var key = LookupKey(credentialId);
        var response = await tables.Factors.GetEntityIfExistsAsync<TableEntity>(key, key, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } entity && entity.GetString("Id") == credentialId ? ToPasskey(entity) : null;
    }

    public async Task<IReadOnlyList<Passkey>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {UserRowPrefix} and RowKey lt {UserRowPrefixEnd}");
        var passkeys = new List<Passkey>();
        await foreach (var entity in tables.Factors.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            passkeys.Add(ToPasskey(entity));
        }

        return passkeys;
    }

    public async Task<bool> TryAddAsync(Passkey passkey, CancellationToken cancellationToken)
    {
        var key = LookupKey(passkey.Id);
        try
        {
            await tables.Factors.AddEntityAsync(ToEntity(passkey, key, key), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }

        await tables.Factors.UpsertEntityAsync(ToEntity(passkey, passkey.UserId, UserRowPrefix + Hash(passkey.Id)), TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async Task<bool> TryRecordUseAsync(Passkey passkey, CancellationToken cancellationToken)
    {
        var key = LookupKey(passkey.Id);
        try
        {
            await tables.Factors.UpdateEntityAsync(ToEntity(passkey, key, key), new ETag(passkey.Version), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }

        // Note: the listed copy only shows "last used"; losing this write to a parallel delete is harmless.
        await tables.Factors.UpsertEntityAsync(
            new TableEntity(passkey.UserId, UserRowPrefix + Hash(passkey.Id)) { ["LastUsedAt"] = passkey.LastUsedAt, ["SignCount"] = (long)passkey.SignCount },
            TableUpdateMode.Merge, cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string userId, string credentialId, CancellationToken cancellationToken)
    {
        // Note: DeleteEntity answers a missing row with a 404 response instead of throwing.
        var listed = await tables.Factors.DeleteEntityAsync(userId, UserRowPrefix + Hash(credentialId), ETag.All, cancellationToken);
        if (listed.Status == 404)
        {
            return false;
        }

        var key = LookupKey(credentialId);
        await tables.Factors.DeleteEntityAsync(key, key, ETag.All, cancellationToken);
        return true;
    }

    private static string Hash(string credentialId) => SecureIds.Hash(credentialId);

    private static string LookupKey(string credentialId) => "c|" + Hash(credentialId);

    private static TableEntity ToEntity(Passkey passkey, string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["Id"] = passkey.Id,
        ["UserId"] = passkey.UserId,
        ["UserKey"] = passkey.UserKey,
        ["PublicKey"] = passkey.PublicKey,
        ["SignCount"] = (long)passkey.SignCount,
        ["Transports"] = string.Join(',', passkey.Transports),
        ["Aaguid"] = passkey.Aaguid,
        ["BackupEligible"] = passkey.BackupEligible,
        ["Name"] = passkey.Name,
        ["CreatedAt"] = passkey.CreatedAt,
        ["LastUsedAt"] = passkey.LastUsedAt,
    };

    private static Passkey ToPasskey(TableEntity entity) => new()
    {
        Id = entity.GetString("Id"),
        UserId = entity.GetString("UserId"),
        UserKey = entity.GetString("UserKey"),
        PublicKey = entity.GetBinary("PublicKey"),
        SignCount = (uint)(entity.GetInt64("SignCount") ?? 0),
        Transports = entity.GetString("Transports")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [],
        Aaguid = entity.GetGuid("Aaguid") ?? Guid.Empty,
        BackupEligible = entity.GetBoolean("BackupEligible") ?? false,
        Name = entity.GetString("Name"),
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        LastUsedAt = entity.GetDateTimeOffset("LastUsedAt"),
        Version = entity.ETag.ToString(),
    };
}
