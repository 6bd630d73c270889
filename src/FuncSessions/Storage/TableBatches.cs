using Azure;
using Azure.Data.Tables;

namespace FuncSessions.Storage;

/// <summary>Deletes many rows of one partition in entity-group transactions of at most 100 (the service limit).</summary>
internal static class TableBatches
{
    private const int MaxBatch = 100;

    public static async Task DeleteAsync(TableClient table, string partitionKey, IReadOnlyList<string> rowKeys, CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Chunk(MaxBatch))
        {
            try
            {
                await table.SubmitTransactionAsync(
                    chunk.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ETag.All)),
                    cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Note: a concurrent delete (another sweep, a logout) removed a row, which fails the whole batch;
                // fall back to single deletes, for which a missing row is a harmless 404 response.
                foreach (var rowKey in chunk)
                {
                    await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
                }
            }
        }
    }
}
