using FuncSessions.Sessions;

namespace FuncSessions.Tests.Sessions;

public sealed class SessionIssuerTests : IDisposable
{
    private readonly SessionHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task IssueAsync_StoresRowWithDeadlinesAndOnlyTheTokenHash()
    {
        var user = SessionHarness.NewUser();
        var now = _h.Time.GetUtcNow();

        var issued = await _h.LoginAsync(user);

        var row = Assert.IsType<Session>(await _h.FindAsync(issued.Session));
        Assert.Equal(user.UserId, row.UserId);
        Assert.True(SecureIds.IsWellFormedId(row.SessionId));
        Assert.Equal(now, row.CreatedAt);
        Assert.Equal(now + TimeSpan.FromDays(7), row.IdleExpiresAt);
        Assert.Equal(now + TimeSpan.FromDays(30), row.AbsoluteExpiresAt);
        Assert.Equal(issued.RefreshToken.Hash, row.RefreshTokenHash);
        Assert.Empty(row.SpentTokenHashes);
        Assert.Equal(0, row.Generation);
        Assert.Equal((user.UserId, row.SessionId), (issued.RefreshToken.UserId, issued.RefreshToken.SessionId));
        Assert.Equal(row.Version, issued.Session.Version);
    }

    [Fact]
    public async Task IssueAsync_StartsNewSessionIdEachTime()
    {
        var user = SessionHarness.NewUser();

        var first = await _h.LoginAsync(user);
        var second = await _h.LoginAsync(user);

        Assert.NotEqual(first.Session.SessionId, second.Session.SessionId);
        Assert.Equal(2, (await _h.Store.ListAsync(user.UserId, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task IssueAsync_CapsIdleDeadlineAtAbsoluteWhenIdleTimeoutIsLonger()
    {
        using var h = new SessionHarness(new SessionOptions { IdleTimeout = TimeSpan.FromDays(10), AbsoluteLifetime = TimeSpan.FromDays(2) });

        var issued = await h.LoginAsync();

        Assert.Equal(issued.Session.AbsoluteExpiresAt, issued.Session.IdleExpiresAt);
    }

    [Fact]
    public async Task IssueAsync_WithdrawsTheSession_WhenTheCredentialChangedAfterTheUserWasRead()
    {
        var readEarly = SessionHarness.NewUser();
        await _h.Users.TryCreateAsync(readEarly, CancellationToken.None);
        var stored = _h.Users[readEarly.NormalizedUsername]!;
        Assert.True(await _h.Users.TryReplaceAsync(stored with { CredentialVersion = stored.CredentialVersion + 1 }, CancellationToken.None));

        var issued = await _h.Issuer.IssueAsync(readEarly, new ClientInfo(null, null), CancellationToken.None);

        Assert.Null(issued);
        Assert.Empty(await _h.Store.ListAsync(readEarly.UserId, CancellationToken.None));
    }

    [Fact]
    public async Task IssueAsync_WithdrawsTheSession_WhenTheNameNowBelongsToAnotherAccount()
    {
        var gone = SessionHarness.NewUser();
        await _h.Users.TryCreateAsync(gone with { UserId = SecureIds.NewId() }, CancellationToken.None);

        var issued = await _h.Issuer.IssueAsync(gone, new ClientInfo(null, null), CancellationToken.None);

        Assert.Null(issued);
        Assert.Empty(await _h.Store.ListAsync(gone.UserId, CancellationToken.None));
    }

    [Fact]
    public async Task IssueAsync_KeepsTheSession_WhenOnlyTheHashWasUpgraded()
    {
        var user = SessionHarness.NewUser();
        await _h.Users.TryCreateAsync(user, CancellationToken.None);
        var stored = _h.Users[user.NormalizedUsername]!;
        Assert.True(await _h.Users.TryReplaceAsync(stored with { PasswordHash = "rehashed" }, CancellationToken.None));

        var issued = await _h.Issuer.IssueAsync(user, new ClientInfo(null, null), CancellationToken.None);

        Assert.NotNull(await _h.FindAsync(Assert.IsType<IssuedSession>(issued).Session));
    }
}
