using Azure.Core;
using Azure.Core.Pipeline;

namespace FuncSessions.Storage;

/// <summary>
/// Counts every HTTP request the table clients send (retries included), so tests and benchmarks can state the
/// storage transactions each endpoint costs — the user's bill on Azure.
/// </summary>
public sealed class StorageCallCounter : HttpPipelineSynchronousPolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
