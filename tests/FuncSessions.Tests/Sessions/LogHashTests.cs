using FuncSessions.Sessions;
using FuncSessions.Tests.Tokens;

namespace FuncSessions.Tests.Sessions;

public sealed class LogHashTests
{
    [Fact]
    public void Of_IsStableForOneKey_DiffersPerIdAndPerKey_AndIsNotTheId()
    {
        var ring = TestKeys.Ring(TestKeys.Options(TestKeys.NewKey("k1")));
        var hash = new LogHash(ring);
        var sameKey = new LogHash(ring);
        var otherKey = new LogHash(TestKeys.Ring(TestKeys.Options(TestKeys.NewKey("k2"))));
        var id = SecureIds.NewId();

        Assert.Equal(hash.Of(id), sameKey.Of(id));
        Assert.NotEqual(hash.Of(id), hash.Of(SecureIds.NewId()));
        Assert.NotEqual(hash.Of(id), otherKey.Of(id));
        Assert.Matches("^[0-9a-f]{16}$", hash.Of(id));
        Assert.DoesNotContain(id, hash.Of(id), StringComparison.Ordinal);
    }
}
