using FuncSessions.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Sessions;

public sealed class RefreshTokenRotationTests : IDisposable
{
    private readonly SessionHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task RotateAsync_IssuesNewTokenAndSpendsOldWhenTokenIsCurrent()
    {
        var login = await _h.LoginAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(9));

        var result = await _h.Rotation.RotateAsync(login.RefreshToken.Value, new ClientInfo("new-agent", "198.51.100.7"), CancellationToken.None);

        Assert.Equal(RefreshOutcome.Rotated, result.Outcome);
        var issued = Assert.IsType<IssuedSession>(result.Issued);
        Assert.NotEqual(login.RefreshToken.Value, issued.RefreshToken.Value);
        Assert.Equal(login.RefreshToken.UserId, issued.RefreshToken.UserId);
        Assert.Equal(login.RefreshToken.SessionId, issued.RefreshToken.SessionId);
        var row = Assert.IsType<Session>(await _h.FindAsync(login.Session));
        Assert.Equal(issued.RefreshToken.Hash, row.RefreshTokenHash);
        Assert.Equal([login.RefreshToken.Hash], row.SpentTokenHashes);
        Assert.Equal(1, row.Generation);
        Assert.Equal(_h.Time.GetUtcNow(), row.LastRotatedAt);
        Assert.Equal(_h.Time.GetUtcNow(), row.LastSeenAt);
        Assert.Equal(_h.Time.GetUtcNow() + _h.SessionOptions.IdleTimeout, row.IdleExpiresAt);
        Assert.Equal(login.Session.AbsoluteExpiresAt, row.AbsoluteExpiresAt);
        Assert.Equal(("new-agent", "198.51.100.7"), (row.UserAgent, row.IpAddress));
        Assert.Equal(row.Version, issued.Session.Version);
        Assert.NotNull(await _h.AccessTokenValidator.ValidateAsync(issued.AccessToken.Value));
    }

    [Fact]
    public async Task RotateAsync_KeepsClientInfoWhenRefreshSendsNone()
    {
        var login = await _h.LoginAsync();

        await _h.RefreshAsync(login.RefreshToken);

        var row = Assert.IsType<Session>(await _h.FindAsync(login.Session));
        Assert.Equal(("test-agent", "192.0.2.1"), (row.UserAgent, row.IpAddress));
    }

    [Fact]
    public async Task RotateAsync_ReturnsSameSuccessorWithoutRotatingWhenParentPresentedWithinGracePeriod()
    {
        var login = await _h.LoginAsync();
        var first = await _h.RefreshAsync(login.RefreshToken);
        _h.Time.Advance(_h.SessionOptions.RefreshGracePeriod);

        var second = await _h.RefreshAsync(login.RefreshToken);

        Assert.Equal(RefreshOutcome.Rotated, second.Outcome);
        Assert.Equal(first.Issued!.RefreshToken.Value, second.Issued!.RefreshToken.Value);
        Assert.Equal(1, _h.Store.SuccessfulUpdates);
        Assert.Equal(1, (await _h.FindAsync(login.Session))!.Generation);
        Assert.NotNull(await _h.AccessTokenValidator.ValidateAsync(second.Issued.AccessToken.Value));
        // The shared successor must itself be a working token for the tab that joined the race.
        Assert.Equal(RefreshOutcome.Rotated, (await _h.RefreshAsync(second.Issued.RefreshToken)).Outcome);
    }

    [Fact]
    public async Task RotateAsync_DetectsReuseAndDeletesSessionWhenParentPresentedAfterGracePeriod()
    {
        var login = await _h.LoginAsync();
        var successor = (await _h.RefreshAsync(login.RefreshToken)).Issued!.RefreshToken;
        _h.Time.Advance(_h.SessionOptions.RefreshGracePeriod + TimeSpan.FromTicks(1));

        var replay = await _h.RefreshAsync(login.RefreshToken);

        Assert.Equal(RefreshOutcome.ReuseDetected, replay.Outcome);
        Assert.Null(replay.Issued);
        Assert.Null(await _h.FindAsync(login.Session));
        Assert.Equal(RefreshOutcome.Invalid, (await _h.RefreshAsync(successor)).Outcome);
    }

    [Fact]
    public async Task RotateAsync_DetectsReuseWhenGrandparentPresentedWithinGracePeriod()
    {
        var login = await _h.LoginAsync();
        var child = (await _h.RefreshAsync(login.RefreshToken)).Issued!.RefreshToken;
        var grandchild = (await _h.RefreshAsync(child)).Issued!.RefreshToken;

        var replay = await _h.RefreshAsync(login.RefreshToken);

        Assert.Equal(RefreshOutcome.ReuseDetected, replay.Outcome);
        Assert.Null(await _h.FindAsync(login.Session));
        Assert.Equal(RefreshOutcome.Invalid, (await _h.RefreshAsync(grandchild)).Outcome);
    }

    [Fact]
    public async Task RotateAsync_ReturnsCurrentTokenWhenParentOfCurrentPresentedAfterSecondRotation()
    {
        var login = await _h.LoginAsync();
        var child = (await _h.RefreshAsync(login.RefreshToken)).Issued!.RefreshToken;
        var grandchild = (await _h.RefreshAsync(child)).Issued!.RefreshToken;

        var late = await _h.RefreshAsync(child);

        Assert.Equal(RefreshOutcome.Rotated, late.Outcome);
        Assert.Equal(grandchild.Value, late.Issued!.RefreshToken.Value);
    }

    [Fact]
    public async Task RotateAsync_ReturnsInvalidAndKeepsSessionWhenSecretIsWrong()
    {
        var login = await _h.LoginAsync();
        var forged = RefreshToken.Create(login.RefreshToken.UserId, login.RefreshToken.SessionId);

        var result = await _h.RefreshAsync(forged);

        Assert.Equal(RefreshOutcome.Invalid, result.Outcome);
        Assert.NotNull(await _h.FindAsync(login.Session));
        Assert.Equal(RefreshOutcome.Rotated, (await _h.RefreshAsync(login.RefreshToken)).Outcome);
    }

    [Fact]
    public async Task RotateAsync_ReturnsInvalidAndKeepsBothSessionsWhenIdsAndSecretComeFromDifferentUsers()
    {
        var alice = await _h.LoginAsync(SessionHarness.NewUser("alice"));
        var bob = await _h.LoginAsync(SessionHarness.NewUser("bob"));
        var bobSecret = bob.RefreshToken.Value.Split('.')[2];
        var composite = $"{alice.RefreshToken.UserId}.{alice.RefreshToken.SessionId}.{bobSecret}";
        Assert.True(RefreshToken.TryParse(composite, out _));

        var result = await _h.RefreshAsync(composite);

        Assert.Equal(RefreshOutcome.Invalid, result.Outcome);
        Assert.Equal(RefreshOutcome.Rotated, (await _h.RefreshAsync(alice.RefreshToken)).Outcome);
        Assert.Equal(RefreshOutcome.Rotated, (await _h.RefreshAsync(bob.RefreshToken)).Outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    public async Task RotateAsync_ReturnsInvalidWhenTokenIsMalformed(string? presented)
    {
        var result = await _h.RefreshAsync(presented);

        Assert.Equal(RefreshOutcome.Invalid, result.Outcome);
    }

    [Fact]
    public async Task RotateAsync_ReturnsInvalidWhenSessionDoesNotExist()
    {
        var result = await _h.RefreshAsync(RefreshToken.Create(SecureIds.NewId(), SecureIds.NewId()));

        Assert.Equal(RefreshOutcome.Invalid, result.Outcome);
    }

    [Fact]
    public async Task RotateAsync_ReturnsExpiredWhenIdleTimeoutPassed()
    {
        var login = await _h.LoginAsync();
        _h.Time.Advance(_h.SessionOptions.IdleTimeout);

        var result = await _h.RefreshAsync(login.RefreshToken);

        Assert.Equal(RefreshOutcome.Expired, result.Outcome);
        Assert.Null(result.Issued);
    }

    [Fact]
    public async Task RotateAsync_SlidesIdleDeadlineWhenRefreshedBeforeIdleTimeout()
    {
        var login = await _h.LoginAsync();
        _h.Time.Advance(TimeSpan.FromDays(6));
        var second = (await _h.RefreshAsync(login.RefreshToken)).Issued!.RefreshToken;
        _h.Time.Advance(TimeSpan.FromDays(6));

        var result = await _h.RefreshAsync(second);

        // Twelve days after login, past the seven-day idle timeout counted from login.
        Assert.Equal(RefreshOutcome.Rotated, result.Outcome);
    }

    [Fact]
    public async Task RotateAsync_ReturnsExpiredAtAbsoluteLifetimeEvenWhenRefreshedRegularly()
    {
        var login = await _h.LoginAsync();
        var token = login.RefreshToken;
        for (var day = 6; day < 30; day += 6)
        {
            _h.Time.Advance(TimeSpan.FromDays(6));
            var result = await _h.RefreshAsync(token);
            Assert.True(result.Outcome == RefreshOutcome.Rotated, $"refresh on day {day}: {result.Outcome}");
            token = result.Issued!.RefreshToken;
            Assert.Equal(login.Session.AbsoluteExpiresAt, result.Issued.Session.AbsoluteExpiresAt);
        }

        // The day-24 refresh must not push the idle deadline past the absolute one, nor the access token with it.
        var last = (await _h.FindAsync(login.Session))!;
        Assert.Equal(login.Session.AbsoluteExpiresAt, last.IdleExpiresAt);
        _h.Time.Advance(TimeSpan.FromDays(6));

        var atThirtyDays = await _h.RefreshAsync(token);

        Assert.Equal(RefreshOutcome.Expired, atThirtyDays.Outcome);
    }

    [Fact]
    public async Task RotateAsync_CapsAccessTokenAtAbsoluteExpiryWhenSessionEndsSooner()
    {
        using var h = new SessionHarness(new SessionOptions { IdleTimeout = TimeSpan.FromMinutes(20), AbsoluteLifetime = TimeSpan.FromMinutes(30) });
        var login = await h.LoginAsync();
        h.Time.Advance(TimeSpan.FromMinutes(15));
        var second = (await h.RefreshAsync(login.RefreshToken)).Issued!.RefreshToken;
        h.Time.Advance(TimeSpan.FromMinutes(12));

        var result = await h.RefreshAsync(second);

        Assert.Equal(RefreshOutcome.Rotated, result.Outcome);
        Assert.Equal(login.Session.AbsoluteExpiresAt, result.Issued!.Session.IdleExpiresAt);
        Assert.Equal(login.Session.AbsoluteExpiresAt, result.Issued.AccessToken.ExpiresAt);
    }

    [Fact]
    public async Task RotateAsync_ForgetsTokensOlderThanSpentTokenHistory()
    {
        var login = await _h.LoginAsync();
        var tokens = new List<RefreshToken> { login.RefreshToken };
        for (var i = 0; i <= _h.SessionOptions.SpentTokenHistory; i++)
        {
            tokens.Add((await _h.RefreshAsync(tokens[^1])).Issued!.RefreshToken);
        }

        var row = (await _h.FindAsync(login.Session))!;
        Assert.Equal(_h.SessionOptions.SpentTokenHistory, row.SpentTokenHashes.Count);

        // Forgotten: an unknown token must not be able to revoke the session.
        Assert.Equal(RefreshOutcome.Invalid, (await _h.RefreshAsync(tokens[0])).Outcome);
        Assert.NotNull(await _h.FindAsync(login.Session));
        // Still remembered: the oldest spent token in the history revokes it.
        Assert.Equal(RefreshOutcome.ReuseDetected, (await _h.RefreshAsync(tokens[1])).Outcome);
        Assert.Null(await _h.FindAsync(login.Session));
    }

    [Fact]
    public async Task RotateAsync_AllParallelCallersGetSameSuccessorAndSessionRotatesOnceWhenSameTokenRaces()
    {
        const int callers = 16;
        var login = await _h.LoginAsync();
        _h.Store.HoldReadsUntil(callers);

        var results = await Task.WhenAll(Enumerable.Range(0, callers)
            .Select(_ => Task.Run(() => _h.RefreshAsync(login.RefreshToken))));

        Assert.All(results, r => Assert.Equal(RefreshOutcome.Rotated, r.Outcome));
        var successor = Assert.Single(results.Select(r => r.Issued!.RefreshToken.Value).Distinct());
        Assert.NotEqual(login.RefreshToken.Value, successor);
        Assert.Equal(1, _h.Store.SuccessfulUpdates);
        // Every caller read the same version, so all but the winner must have lost the compare-and-swap.
        Assert.Equal(callers - 1, _h.Store.FailedUpdates);
        var row = (await _h.FindAsync(login.Session))!;
        Assert.Equal(1, row.Generation);
        Assert.Equal(RefreshOutcome.Rotated, (await _h.RefreshAsync(successor)).Outcome);
    }

    [Fact]
    public async Task RotateAsync_ReturnsInvalidWhenRowChangesUnderEveryAttempt()
    {
        var login = await _h.LoginAsync();
        var rival = new RivalWriterStore(_h.Store);
        var rotation = new RefreshTokenRotation(rival, _h.AccessTokens, Options.Create(_h.SessionOptions), _h.Time, _h.LogHash, NullLogger<RefreshTokenRotation>.Instance);

        var result = await rotation.RotateAsync(login.RefreshToken.Value, new ClientInfo(null, null), CancellationToken.None);

        // Each attempt lost to a writer that did not rotate the token: the loop must give up, not spin or revoke.
        Assert.Equal(RefreshOutcome.Invalid, result.Outcome);
        Assert.Equal(3, rival.Interferences);
        Assert.NotNull(await _h.FindAsync(login.Session));
    }

    /// <summary>Bumps the row's version between every read and the following write.</summary>
    private sealed class RivalWriterStore(InMemorySessionStore inner) : ISessionStore
    {
        public int Interferences { get; private set; }

        public async Task<Session?> FindAsync(string userId, string sessionId, CancellationToken cancellationToken)
        {
            var found = await inner.FindAsync(userId, sessionId, cancellationToken);
            if (found is not null)
            {
                inner.Put(found);
                Interferences++;
            }

            return found;
        }

        public Task<Session> CreateAsync(Session session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

        public Task<Session?> TryUpdateAsync(Session current, Session updated, CancellationToken cancellationToken) =>
            inner.TryUpdateAsync(current, updated, cancellationToken);

        public Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken) => inner.DeleteAsync(userId, sessionId, cancellationToken);

        public Task<IReadOnlyList<Session>> ListAsync(string userId, CancellationToken cancellationToken) => inner.ListAsync(userId, cancellationToken);

        public Task<int> DeleteAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken) =>
            inner.DeleteAllAsync(userId, keepSessionId, cancellationToken);
    }
}
