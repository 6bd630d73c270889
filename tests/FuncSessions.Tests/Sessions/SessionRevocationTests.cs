using FuncSessions.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSessions.Tests.Sessions;

public sealed class SessionRevocationTests : IDisposable
{
    private readonly SessionHarness _h = new();
    private readonly SessionRevocation _revocation;

    public SessionRevocationTests() => _revocation = new SessionRevocation(_h.Store, _h.LogHash, NullLogger<SessionRevocation>.Instance);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task RevokeAsync_EndsSessionSoValidateAndRefreshFail()
    {
        var login = await _h.LoginAsync();

        Assert.True(await _revocation.RevokeAsync(login.Session.UserId, login.Session.SessionId, CancellationToken.None));

        Assert.Null(await _h.Validator.ValidateAsync(login.AccessToken.Value, CancellationToken.None));
        Assert.Equal(RefreshOutcome.Invalid, (await _h.RefreshAsync(login.RefreshToken)).Outcome);
        Assert.False(await _revocation.RevokeAsync(login.Session.UserId, login.Session.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task RevokeAllAsync_KeepsOnlyNamedSessionOfThatUser()
    {
        var alice = SessionHarness.NewUser("alice");
        var keep = await _h.LoginAsync(alice);
        await _h.LoginAsync(alice);
        await _h.LoginAsync(alice);
        var bob = await _h.LoginAsync(SessionHarness.NewUser("bob"));

        var count = await _revocation.RevokeAllAsync(alice.UserId, keep.Session.SessionId, CancellationToken.None);

        Assert.Equal(2, count);
        var left = await _h.Store.ListAsync(alice.UserId, CancellationToken.None);
        Assert.Equal(keep.Session.SessionId, Assert.Single(left).SessionId);
        Assert.NotNull(await _h.FindAsync(bob.Session));
    }

    [Fact]
    public async Task RevokeAllAsync_RemovesEverySessionWhenNoneIsKept()
    {
        var alice = SessionHarness.NewUser("alice");
        await _h.LoginAsync(alice);
        await _h.LoginAsync(alice);

        Assert.Equal(2, await _revocation.RevokeAllAsync(alice.UserId, null, CancellationToken.None));
        Assert.Empty(await _h.Store.ListAsync(alice.UserId, CancellationToken.None));
    }
}
