using Microsoft.Extensions.Options;

namespace FuncSessions.Passwords;

/// <summary>
/// The concurrency cap on password hashing (<see cref="PasswordOptions.MaxConcurrentHashes"/>): each Argon2id hash
/// holds its memory cost (19 MiB by default) while it runs, so a burst of logins must queue rather than exhaust the
/// instance's memory. A caller waits at most <see cref="PasswordOptions.HashQueueTimeout"/> for a slot.
/// </summary>
public sealed class HashingSlots(IOptions<PasswordOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentHashes, options.Value.MaxConcurrentHashes);

    /// <summary>A held slot, released on dispose; null when none freed up within the queue timeout.</summary>
    public async Task<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.HashQueueTimeout;
        if (await _slots.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return new Slot(_slots);
        }

        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }

        using var expiry = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            await _slots.WaitAsync(linked.Token);
            return new Slot(_slots);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>A slot, or <see cref="ServerBusyException"/> when none freed up in time.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken) =>
        await TryEnterAsync(cancellationToken) ?? throw new ServerBusyException(RetryAfter);

    // Note: the wait a refused caller already sat through, at least a second: roughly how long the queue took not to move.
    private TimeSpan RetryAfter => options.Value.HashQueueTimeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.Value.HashQueueTimeout;

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}

/// <summary>Every hashing slot stayed taken for the queue timeout: answered 503 <c>server_busy</c> with <c>Retry-After</c>.</summary>
public sealed class ServerBusyException(TimeSpan retryAfter) : Exception("Every password-hashing slot is busy.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
