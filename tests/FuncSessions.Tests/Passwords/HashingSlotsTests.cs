using FuncSessions.Passwords;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.Tests.Passwords;

public sealed class HashingSlotsTests
{
    private readonly FakeTimeProvider _time = new();

    private HashingSlots Slots(int max, TimeSpan timeout) =>
        new(Options.Create(new PasswordOptions { MaxConcurrentHashes = max, HashQueueTimeout = timeout }), _time);

    [Fact]
    public async Task TryEnterAsync_GivesOutAsManySlotsAsConfigured_ThenNone()
    {
        using var slots = Slots(2, TimeSpan.Zero);

        using var first = await slots.TryEnterAsync(CancellationToken.None);
        using var second = await slots.TryEnterAsync(CancellationToken.None);
        var third = await slots.TryEnterAsync(CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
    }

    [Fact]
    public async Task TryEnterAsync_WaitsForAReleasedSlot()
    {
        using var slots = Slots(1, TimeSpan.FromSeconds(5));
        var held = await slots.TryEnterAsync(CancellationToken.None);

        var waiting = slots.TryEnterAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        held!.Dispose();

        using var slot = await waiting;
        Assert.NotNull(slot);
    }

    [Fact]
    public async Task TryEnterAsync_GivesUpAfterTheQueueTimeout_AndLeavesNoSlotTaken()
    {
        using var slots = Slots(1, TimeSpan.FromSeconds(5));
        var held = await slots.TryEnterAsync(CancellationToken.None);

        var waiting = slots.TryEnterAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await waiting);
        // Released twice: still only one slot back.
        held!.Dispose();
        held.Dispose();
        using var again = await slots.TryEnterAsync(CancellationToken.None);
        Assert.NotNull(again);
        Assert.False(slots.TryEnterAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task EnterAsync_ThrowsServerBusyWithRetryAfter_WhenNoSlotFreesUp()
    {
        using var slots = Slots(1, TimeSpan.FromSeconds(3));
        using var held = await slots.EnterAsync(CancellationToken.None);

        var waiting = slots.EnterAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3));

        var busy = await Assert.ThrowsAsync<ServerBusyException>(() => waiting);
        Assert.Equal(TimeSpan.FromSeconds(3), busy.RetryAfter);
    }

    [Fact]
    public async Task TryEnterAsync_HonoursCancellation()
    {
        using var slots = Slots(1, TimeSpan.FromSeconds(5));
        using var held = await slots.TryEnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = slots.TryEnterAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
