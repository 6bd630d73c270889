using FuncSessions.Throttling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.Tests.Throttling;

public sealed class ClientThrottleTests
{
    private const string Address = "198.51.100.7";

    private readonly InMemoryThrottleStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ThrottleOptions _options = new() { ClientLimit = 5, RegistrationsPerClientWindow = 3 };
    private readonly ClientThrottle _throttle;

    public ClientThrottleTests() =>
        _throttle = new ClientThrottle(_store, Options.Create(_options), _time, NullLogger<ClientThrottle>.Instance);

    [Fact]
    public async Task ParallelLogins_TakeAtMostTheLimitOfSlots_BeforeAnyPasswordIsChecked()
    {
        var slots = await Task.WhenAll(Enumerable.Range(0, 250).Select(_ => _throttle.ReserveAsync(Address, CancellationToken.None)));

        Assert.Equal(5, slots.Count(s => s.RetryAfter is null));
        Assert.All(slots.Where(s => s.RetryAfter is not null), s => Assert.Equal(TimeSpan.FromMinutes(15), s.RetryAfter));
    }

    [Fact]
    public async Task ASuccessfulLogin_GivesItsSlotBack_SoSuccessesNeverSpendTheBudget()
    {
        for (var i = 0; i < 50; i++)
        {
            var slot = await _throttle.ReserveAsync(Address, CancellationToken.None);
            Assert.Null(slot.RetryAfter);
            await slot.SucceededAsync(CancellationToken.None);
        }

        Assert.Equal(0, (await _store.FindAsync(ThrottleKeys.Client(Address), CancellationToken.None)).Count);
        Assert.Null(_throttle.RetryAfter(Address));
    }

    [Fact]
    public async Task FailedLogins_StayCounted_AndTheLastOneIsRemembered_UntilTheWindowEnds()
    {
        for (var i = 0; i < 5; i++)
        {
            var slot = await _throttle.ReserveAsync(Address, CancellationToken.None);
            await slot.FailedAsync(CancellationToken.None);
        }

        Assert.Equal(TimeSpan.FromMinutes(15), _throttle.RetryAfter(Address));
        Assert.NotNull((await _throttle.ReserveAsync(Address, CancellationToken.None)).RetryAfter);

        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.Null(_throttle.RetryAfter(Address));
        Assert.Null((await _throttle.ReserveAsync(Address, CancellationToken.None)).RetryAfter);
    }

    [Fact]
    public async Task AStrike_ThatLosesManyCompareAndSwaps_IsStillCounted()
    {
        _store.LoseWrites = 12;

        await _throttle.StrikeAsync(Address, CancellationToken.None);

        Assert.Equal(1, (await _store.FindAsync(ThrottleKeys.Client(Address), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ALogin_ThatLosesManyCompareAndSwaps_StillTakesItsSlot_AndOneThatNeverWins_IsRefused()
    {
        _store.LoseWrites = 12;
        Assert.Null((await _throttle.ReserveAsync(Address, CancellationToken.None)).RetryAfter);
        Assert.Equal(1, (await _store.FindAsync(ThrottleKeys.Client(Address), CancellationToken.None)).Count);

        _store.LoseWrites = int.MaxValue;
        Assert.Equal(TimeSpan.FromSeconds(1), (await _throttle.ReserveAsync(Address, CancellationToken.None)).RetryAfter);
    }

    [Fact]
    public async Task Registrations_HaveTheirOwnBudget_ApartFromFailedGuesses()
    {
        var registrations = new RegistrationThrottle(_store, Options.Create(_options), _time);

        var waits = new List<TimeSpan?>();
        for (var i = 0; i < 4; i++)
        {
            waits.Add(await registrations.TakeAsync(Address, CancellationToken.None));
        }

        Assert.Equal([null, null, null, TimeSpan.FromMinutes(15)], waits);
        Assert.Null((await _throttle.ReserveAsync(Address, CancellationToken.None)).RetryAfter);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    public void AnAbsentOrUnparsableAddress_CountsInOneSharedBucket_NeverInNone(string? address)
    {
        Assert.Equal(ThrottleKeys.Client(null), ThrottleKeys.Client(address));
        Assert.NotEqual(ThrottleKeys.Client(Address), ThrottleKeys.Client(address));
        Assert.NotEqual(ThrottleKeys.Registrations(address), ThrottleKeys.Client(address));
    }
}
