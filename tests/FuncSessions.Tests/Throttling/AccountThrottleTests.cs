using FuncSessions.Throttling;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.Tests.Throttling;

public sealed class AccountThrottleTests
{
    private readonly InMemoryThrottleStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly AccountThrottle _throttle;

    public AccountThrottleTests() => _throttle = new AccountThrottle(_store, Options.Create(new ThrottleOptions()), _time);

    [Fact]
    public async Task Failures_DelayProgressivelyFromTheFifthThenLockAtTheTenth()
    {
        var waits = new List<double?>();
        for (var i = 0; i < 10; i++)
        {
            var attempt = await _throttle.BeginAsync("alice", CancellationToken.None);
            Assert.Null(attempt.RetryAfter);
            waits.Add((await _store.FindAsync(ThrottleKeys.Account("alice"), CancellationToken.None)).RetryAfter(_time.GetUtcNow())?.TotalSeconds);
            _time.Advance(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(new double?[] { null, null, null, null, 1, 2, 4, 8, 16, 900 }, waits);
    }

    [Fact]
    public async Task Lockout_EndsAfterTheCoolDown_AndASuccessClearsTheCount()
    {
        await FailAsync("alice", 10);
        Assert.NotNull((await _throttle.BeginAsync("alice", CancellationToken.None)).RetryAfter);

        _time.Advance(TimeSpan.FromMinutes(15));
        var attempt = await _throttle.BeginAsync("alice", CancellationToken.None);
        Assert.Null(attempt.RetryAfter);
        await attempt.SucceededAsync(CancellationToken.None);

        Assert.Equal(0, (await _store.FindAsync(ThrottleKeys.Account("alice"), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task RefusedAttempts_DoNotExtendTheLockout()
    {
        await FailAsync("alice", 10);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(2));
            Assert.NotNull((await _throttle.BeginAsync("alice", CancellationToken.None)).RetryAfter);
        }

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null((await _throttle.BeginAsync("alice", CancellationToken.None)).RetryAfter);
    }

    [Fact]
    public async Task ParallelAttempts_OnAnAccountWithFailures_EachTakeASlot_AndCannotOverrunTheLimit()
    {
        await FailAsync("alice", 4);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _throttle.BeginAsync("alice", CancellationToken.None)));

        // Counting each attempt before its password check: the 5th failure already delays, so exactly one attempt proceeds.
        Assert.Single(attempts, a => a.RetryAfter is null);
        Assert.Equal(5, (await _store.FindAsync(ThrottleKeys.Account("alice"), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ParallelAttempts_OnAFreshName_AreCountedBeforeTheCheck_SoOnlyHalfTheLimitProceeds()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 250).Select(_ => _throttle.BeginAsync("alice", CancellationToken.None)));

        // Failures 1–4 proceed at once; the 5th proceeds and makes every later attempt wait.
        Assert.Equal(5, attempts.Count(a => a.RetryAfter is null));
        Assert.Equal(5, (await _store.FindAsync(ThrottleKeys.Account("alice"), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AnAttempt_ThatCannotTakeASlot_IsRefused_NotLetThroughUncounted()
    {
        var store = new InMemoryThrottleStore { LoseWrites = int.MaxValue };
        var throttle = new AccountThrottle(store, Options.Create(new ThrottleOptions()), _time);

        var attempt = await throttle.BeginAsync("alice", CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(1), attempt.RetryAfter);
    }

    [Fact]
    public async Task OtherAccounts_AreUnaffected()
    {
        await FailAsync("alice", 10);

        Assert.Null((await _throttle.BeginAsync("bob", CancellationToken.None)).RetryAfter);
    }

    private async Task FailAsync(string name, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var attempt = await _throttle.BeginAsync(name, CancellationToken.None);
            Assert.Null(attempt.RetryAfter);
            _time.Advance(TimeSpan.FromSeconds(20));
        }
    }
}
