using FuncSessions.Sessions;

namespace FuncSessions.Tests.Sessions;

public sealed class SessionValidatorTests : IDisposable
{
    private readonly SessionHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task ValidateAsync_ReturnsSessionWhenTokenIsValidAndRowIsLive()
    {
        var login = await _h.LoginAsync();

        var session = await _h.Validator.ValidateAsync(login.AccessToken.Value, CancellationToken.None);

        Assert.NotNull(session);
        Assert.Equal(login.Session.SessionId, session.SessionId);
        Assert.Equal(login.Session.UserId, session.UserId);
        Assert.Equal("alice", session.Username);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    public async Task ValidateAsync_ReturnsNullWhenTokenIsMissingOrMalformed(string? token)
    {
        await _h.LoginAsync();

        Assert.Null(await _h.Validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenRowWasDeleted()
    {
        var login = await _h.LoginAsync();
        Assert.NotNull(await _h.Validator.ValidateAsync(login.AccessToken.Value, CancellationToken.None));

        await _h.Store.DeleteAsync(login.Session.UserId, login.Session.SessionId, CancellationToken.None);

        Assert.Null(await _h.Validator.ValidateAsync(login.AccessToken.Value, CancellationToken.None));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenIdleTimeoutPassedWhileAccessTokenIsStillWithinSkew()
    {
        using var h = new SessionHarness(new SessionOptions { IdleTimeout = TimeSpan.FromMinutes(5) });
        var login = await h.LoginAsync();
        h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));

        var session = await h.Validator.ValidateAsync(login.AccessToken.Value, CancellationToken.None);

        // The token alone is still accepted (clock skew), so only the row's idle deadline can have refused it.
        Assert.NotNull(await h.AccessTokenValidator.ValidateAsync(login.AccessToken.Value));
        Assert.Null(session);
    }

    [Fact]
    public async Task ValidateAsync_AppliesShortenedIdleTimeoutToExistingSession()
    {
        var login = await _h.LoginAsync();
        _h.Time.Advance(TimeSpan.FromHours(2));
        // A fresh access token: the login one has expired, and the row's stored idle deadline is still days away.
        var accessToken = _h.AccessTokens.Issue(login.Session).Value;
        Assert.NotNull(await _h.Validator.ValidateAsync(accessToken, CancellationToken.None));

        _h.SessionOptions.IdleTimeout = TimeSpan.FromHours(1);

        Assert.Null(await _h.Validator.ValidateAsync(accessToken, CancellationToken.None));
    }

    [Fact]
    public async Task ValidateAsync_AppliesShortenedAbsoluteLifetimeToExistingSession()
    {
        var login = await _h.LoginAsync();
        _h.Time.Advance(TimeSpan.FromDays(2));
        var refreshed = (await _h.RefreshAsync(login.RefreshToken)).Issued!;
        Assert.NotNull(await _h.Validator.ValidateAsync(refreshed.AccessToken.Value, CancellationToken.None));

        _h.SessionOptions.AbsoluteLifetime = TimeSpan.FromDays(1);

        Assert.Null(await _h.Validator.ValidateAsync(refreshed.AccessToken.Value, CancellationToken.None));
    }
}
