using FuncSessions.Sessions;

namespace FuncSessions.Tests.Sessions;

public sealed class SessionTests
{
    private static readonly DateTimeOffset Created = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Session NewSession(TimeSpan lastSeenAfterCreation, TimeSpan idle, TimeSpan absolute) => new()
    {
        UserId = SecureIds.NewId(),
        SessionId = SecureIds.NewId(),
        Username = "alice",
        CreatedAt = Created,
        LastSeenAt = Created + lastSeenAfterCreation,
        IdleExpiresAt = Created + lastSeenAfterCreation + idle,
        AbsoluteExpiresAt = Created + absolute,
        RefreshTokenHash = "h",
    };

    [Fact]
    public void ExpiresAt_ReturnsStoredIdleDeadlineWhenOptionsAreUnchanged()
    {
        var session = NewSession(TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30));

        Assert.Equal(Created + TimeSpan.FromDays(8), session.ExpiresAt(new SessionOptions()));
    }

    [Fact]
    public void ExpiresAt_ReturnsAbsoluteDeadlineWhenItIsEarlierThanIdleDeadline()
    {
        var session = NewSession(TimeSpan.FromDays(28), TimeSpan.FromDays(7), TimeSpan.FromDays(30));

        Assert.Equal(Created + TimeSpan.FromDays(30), session.ExpiresAt(new SessionOptions()));
    }

    [Fact]
    public void ExpiresAt_UsesShorterIdleTimeoutFromOptions()
    {
        var session = NewSession(TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30));

        var expires = session.ExpiresAt(new SessionOptions { IdleTimeout = TimeSpan.FromHours(1) });

        Assert.Equal(session.LastSeenAt + TimeSpan.FromHours(1), expires);
    }

    [Fact]
    public void ExpiresAt_UsesShorterAbsoluteLifetimeFromOptions()
    {
        var session = NewSession(TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30));

        var expires = session.ExpiresAt(new SessionOptions { AbsoluteLifetime = TimeSpan.FromDays(2) });

        Assert.Equal(Created + TimeSpan.FromDays(2), expires);
    }

    [Fact]
    public void ExpiresAt_KeepsStoredDeadlineWhenOptionsWereLengthened()
    {
        var session = NewSession(TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30));

        var expires = session.ExpiresAt(new SessionOptions { IdleTimeout = TimeSpan.FromDays(60), AbsoluteLifetime = TimeSpan.FromDays(90) });

        Assert.Equal(Created + TimeSpan.FromDays(8), expires);
    }

    [Fact]
    public void IsLiveAt_ReturnsFalseFromTheDeadlineOn()
    {
        var session = NewSession(TimeSpan.Zero, TimeSpan.FromDays(7), TimeSpan.FromDays(30));
        var deadline = session.ExpiresAt(new SessionOptions());

        Assert.True(session.IsLiveAt(deadline - TimeSpan.FromTicks(1), new SessionOptions()));
        Assert.False(session.IsLiveAt(deadline, new SessionOptions()));
    }
}
