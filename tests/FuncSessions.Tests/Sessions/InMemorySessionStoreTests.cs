using FuncSessions.Sessions;

namespace FuncSessions.Tests.Sessions;

/// <summary>The double must keep the contract the rotation tests rely on, or they would prove nothing.</summary>
public sealed class InMemorySessionStoreTests
{
    private readonly InMemorySessionStore _store = new();

    private static Session NewSession() => new()
    {
        UserId = SecureIds.NewId(),
        SessionId = SecureIds.NewId(),
        Username = "alice",
        CreatedAt = DateTimeOffset.UnixEpoch,
        LastSeenAt = DateTimeOffset.UnixEpoch,
        IdleExpiresAt = DateTimeOffset.UnixEpoch,
        AbsoluteExpiresAt = DateTimeOffset.UnixEpoch,
        RefreshTokenHash = "h0",
    };

    [Fact]
    public async Task TryUpdateAsync_WritesWithNewVersionWhenVersionMatches()
    {
        var created = await _store.CreateAsync(NewSession(), CancellationToken.None);

        var replaced = await _store.TryUpdateAsync(created, created with { RefreshTokenHash = "h1" }, CancellationToken.None);

        Assert.NotNull(replaced);
        Assert.NotEqual(created.Version, replaced.Version);
        Assert.Equal(replaced, await _store.FindAsync(created.UserId, created.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdateAsync_ReturnsNullAndKeepsRowWhenVersionIsStale()
    {
        var created = await _store.CreateAsync(NewSession(), CancellationToken.None);
        var winner = await _store.TryUpdateAsync(created, created with { RefreshTokenHash = "h1" }, CancellationToken.None);

        var loser = await _store.TryUpdateAsync(created, created with { RefreshTokenHash = "h2" }, CancellationToken.None);

        Assert.Null(loser);
        Assert.Equal("h1", (await _store.FindAsync(created.UserId, created.SessionId, CancellationToken.None))!.RefreshTokenHash);
        Assert.Equal((1, 1), (_store.SuccessfulUpdates, _store.FailedUpdates));
        Assert.NotNull(winner);
    }

    [Fact]
    public async Task TryUpdateAsync_ReturnsNullWhenRowIsGone()
    {
        var created = await _store.CreateAsync(NewSession(), CancellationToken.None);
        await _store.DeleteAsync(created.UserId, created.SessionId, CancellationToken.None);

        Assert.Null(await _store.TryUpdateAsync(created, created, CancellationToken.None));
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task CreateAsync_ThrowsWhenRowExists()
    {
        var session = NewSession();
        await _store.CreateAsync(session, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.CreateAsync(session, CancellationToken.None));
    }
}
