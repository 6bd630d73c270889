using Azure;
using Azure.Data.Tables;
using FuncSessions.SecondFactors;

namespace FuncSessions.Storage;

/// <summary>
/// Second factors in the Factors table, in the user's partition (PartitionKey = userId): RowKey <c>totp</c> (the sealed
/// secret and the last used step) and <c>recovery</c> (code hashes). Spent-challenge markers have their own partition
/// each (PartitionKey = RowKey = <c>x|</c> + hash), so marking one is a single insert.
/// </summary>
public sealed class TableFactorStore(TableClients tables) : IFactorStore
{
    /// <summary>Partition and row key prefix of a spent challenge's marker (user ids never contain <c>|</c>).</summary>
    public const string SpentMarkerPrefix = "x|";

    /// <summary>When the marked challenge stopped opening: after that the marker guards nothing.</summary>
    public const string SpentMarkerExpiresAt = "ExpiresAt";

    private const string TotpRow = "totp";
    private const string RecoveryRow = "recovery";

    public async Task<TotpEnrolment?> FindTotpAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await tables.Factors.GetEntityIfExistsAsync<TableEntity>(userId, TotpRow, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e
            ? new TotpEnrolment
            {
                UserId = userId,
                SealedSecret = e.GetString("SealedSecret"),
                Confirmed = e.GetBoolean("Confirmed") ?? false,
                LastUsedStep = e.GetInt64("LastUsedStep") ?? -1,
                CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
                Version = e.ETag.ToString(),
            }
            : null;
    }

    public Task<bool> TrySaveTotpAsync(TotpEnrolment enrolment, CancellationToken cancellationToken) =>
        TryWriteAsync(new TableEntity(enrolment.UserId, TotpRow)
        {
            ["SealedSecret"] = enrolment.SealedSecret,
            ["Confirmed"] = enrolment.Confirmed,
            ["LastUsedStep"] = enrolment.LastUsedStep,
            ["CreatedAt"] = enrolment.CreatedAt,
        }, enrolment.Version, cancellationToken);

    public async Task<RecoveryCodeSet?> FindRecoveryCodesAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await tables.Factors.GetEntityIfExistsAsync<TableEntity>(userId, RecoveryRow, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e
            ? new RecoveryCodeSet
            {
                UserId = userId,
                Hashes = e.GetString("Hashes").Split(',', StringSplitOptions.RemoveEmptyEntries),
                Version = e.ETag.ToString(),
            }
            : null;
    }

    public async Task<bool> TrySaveRecoveryCodesAsync(RecoveryCodeSet codes, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(codes.UserId, RecoveryRow) { ["Hashes"] = string.Join(',', codes.Hashes) };
        if (codes.Version.Length == 0)
        {
            // Note: a new set replaces the old one whatever it held: regenerating invalidates every earlier code.
            await tables.Factors.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
            return true;
        }

        return await TryWriteAsync(entity, codes.Version, cancellationToken);
    }

    public async Task DeleteSecondFactorsAsync(string userId, CancellationToken cancellationToken)
    {
        // Note: DeleteEntity answers a missing row with a 404 response instead of throwing.
        await tables.Factors.DeleteEntityAsync(userId, TotpRow, ETag.All, cancellationToken);
        await tables.Factors.DeleteEntityAsync(userId, RecoveryRow, ETag.All, cancellationToken);
    }

    public async Task<bool> TryMarkSpentAsync(string challengeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var key = SpentMarkerPrefix + challengeHash;
        try
        {
            await tables.Factors.AddEntityAsync(new TableEntity(key, key) { [SpentMarkerExpiresAt] = expiresAt }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    private async Task<bool> TryWriteAsync(TableEntity entity, string version, CancellationToken cancellationToken)
    {
        try
        {
            if (version.Length == 0)
            {
                await tables.Factors.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await tables.Factors.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }
}
