using Azure;
using Azure.Data.Tables;
using FuncSessions.Email;

namespace FuncSessions.Storage;

/// <summary>
/// One-time tokens keyed PartitionKey = userId, RowKey = kind: a newer token of a kind replaces the row (and so
/// supersedes the older token), and redeeming is one point read plus one delete conditional on the ETag. Each write
/// also puts an entry in the expiry index (<see cref="TokenExpiryIndex"/>) that the sweep follows.
/// </summary>
public sealed class TableOneTimeTokenStore(TableClients tables)
{
    public async Task<StoredOneTimeToken?> FindAsync(string userId, OneTimeTokenKind kind, CancellationToken cancellationToken)
    {
        var response = await tables.Tokens.GetEntityIfExistsAsync<TokenEntity>(userId, OneTimeToken.Code(kind), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToToken() : null;
    }

    /// <summary>Writes (or replaces) the user's token of this kind and its expiry index entry.</summary>
    public async Task SaveAsync(StoredOneTimeToken token, CancellationToken cancellationToken)
    {
        // Note: an upsert, so a retried write whose response was lost rewrites the same row.
        var response = await tables.Tokens.UpsertEntityAsync(TokenEntity.From(token), TableUpdateMode.Replace, cancellationToken);
        var index = new TableEntity(TokenExpiryIndex.Bucket(token.ExpiresAt), TokenExpiryIndex.RowKey(token.UserId, token.Kind))
        {
            [TokenExpiryIndex.TokenVersionProperty] = response.Headers.ETag.GetValueOrDefault().ToString(),
        };
        await tables.SessionExpiry.UpsertEntityAsync(index, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Deletes the row if it is still the version that was read: true for exactly one caller per token.</summary>
    public async Task<bool> TryConsumeAsync(StoredOneTimeToken token, CancellationToken cancellationToken)
    {
        try
        {
            var response = await tables.Tokens.DeleteEntityAsync(token.UserId, OneTimeToken.Code(token.Kind), new ETag(token.Version), cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    private sealed class TokenEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string TokenHash { get; set; } = "";

        public DateTimeOffset ExpiresAt { get; set; }

        public string UserKey { get; set; } = "";

        public int CredentialVersion { get; set; }

        public string NormalizedEmail { get; set; } = "";

        public string Email { get; set; } = "";

        public static TokenEntity From(StoredOneTimeToken token) => new()
        {
            PartitionKey = token.UserId,
            RowKey = OneTimeToken.Code(token.Kind),
            TokenHash = token.TokenHash,
            ExpiresAt = token.ExpiresAt,
            UserKey = token.UserKey,
            CredentialVersion = token.CredentialVersion,
            NormalizedEmail = token.NormalizedEmail,
            Email = token.Email,
        };

        public StoredOneTimeToken ToToken() => new()
        {
            UserId = PartitionKey,
            Kind = OneTimeToken.KindOf(RowKey) ?? throw new InvalidOperationException($"Unknown token kind '{RowKey}'."),
            TokenHash = TokenHash,
            ExpiresAt = ExpiresAt,
            UserKey = UserKey,
            CredentialVersion = CredentialVersion,
            NormalizedEmail = NormalizedEmail,
            Email = Email,
            Version = ETag.ToString(),
        };
    }
}
