using FuncSessions.Sessions;
using FuncSessions.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.Tests.Tokens;

public sealed class AccessTokenIssuerTests
{
    private readonly FakeTimeProvider _time = new(TestKeys.Start);
    private readonly TokenOptions _options = TestKeys.Options(TestKeys.NewKey("k1"));
    private readonly AccessTokenIssuer _issuer;

    public AccessTokenIssuerTests() => _issuer = new AccessTokenIssuer(TestKeys.Ring(_options), Options.Create(_options), Options.Create(new SessionOptions()), _time);

    private Session NewSession(TimeSpan? idleLeft = null, TimeSpan? absoluteLeft = null) => new()
    {
        UserId = SecureIds.NewId(),
        SessionId = SecureIds.NewId(),
        Username = "alice",
        CreatedAt = _time.GetUtcNow(),
        LastSeenAt = _time.GetUtcNow(),
        IdleExpiresAt = _time.GetUtcNow() + (idleLeft ?? TimeSpan.FromDays(7)),
        AbsoluteExpiresAt = _time.GetUtcNow() + (absoluteLeft ?? TimeSpan.FromDays(30)),
        RefreshTokenHash = "h",
    };

    [Fact]
    public void Issue_WritesEs256HeaderWithAccessTokenTypeAndKeyId()
    {
        var token = _issuer.Issue(NewSession());

        var header = Jwt.Decode(token.Value, 0);
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("k1", header.GetProperty("kid").GetString());
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
    }

    [Fact]
    public void Issue_WritesRegisteredClaimsForSession()
    {
        var session = NewSession();
        var now = _time.GetUtcNow().ToUnixTimeSeconds();

        var token = _issuer.Issue(session);

        var payload = Jwt.Decode(token.Value, 1);
        Assert.Equal(session.UserId, payload.GetProperty("sub").GetString());
        Assert.Equal(session.SessionId, payload.GetProperty("sid").GetString());
        Assert.Equal(now, payload.GetProperty("iat").GetInt64());
        Assert.Equal(now, payload.GetProperty("nbf").GetInt64());
        Assert.Equal(now + 600, payload.GetProperty("exp").GetInt64());
        Assert.True(SecureIds.IsWellFormedId(payload.GetProperty("jti").GetString()));
        Assert.Equal("funcsessions", payload.GetProperty("iss").GetString());
        Assert.Equal("funcsessions-api", payload.GetProperty("aud").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now + 600), token.ExpiresAt);
    }

    [Fact]
    public void Issue_WritesNoClaimsBeyondTheRegisteredOnes()
    {
        var payload = Jwt.Decode(_issuer.Issue(NewSession()).Value, 1);

        Assert.Equal(["amr", "aud", "auth_time", "exp", "iat", "iss", "jti", "nbf", "sid", "sub"], payload.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public void Issue_CarriesHowAndWhenTheUserSignedIn_AsAmrAndAuthTime()
    {
        var session = NewSession() with { Amr = ["pwd", "otp", "mfa"] };

        var payload = Jwt.Decode(_issuer.Issue(session).Value, 1);

        Assert.Equal(["pwd", "otp", "mfa"], payload.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(session.CreatedAt.ToUnixTimeSeconds(), payload.GetProperty("auth_time").GetInt64());
    }

    [Fact]
    public void Issue_UsesFreshJtiForEachToken()
    {
        var session = NewSession();

        var first = Jwt.Decode(_issuer.Issue(session).Value, 1).GetProperty("jti").GetString();
        var second = Jwt.Decode(_issuer.Issue(session).Value, 1).GetProperty("jti").GetString();

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(3, 30)]
    [InlineData(60, 4)]
    public void Issue_CapsExpiryAtSessionEndWhenSessionEndsWithinLifetime(int idleMinutes, int absoluteMinutes)
    {
        var session = NewSession(TimeSpan.FromMinutes(idleMinutes), TimeSpan.FromMinutes(absoluteMinutes));

        var token = _issuer.Issue(session);

        var end = _time.GetUtcNow() + TimeSpan.FromMinutes(Math.Min(idleMinutes, absoluteMinutes));
        Assert.Equal(end, token.ExpiresAt);
        Assert.Equal(end.ToUnixTimeSeconds(), Jwt.Decode(token.Value, 1).GetProperty("exp").GetInt64());
    }

    [Fact]
    public void Issue_UsesConfiguredLifetimeAndTruncatesToWholeSeconds()
    {
        _options.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        _time.Advance(TimeSpan.FromMilliseconds(700));
        var session = NewSession();

        var token = _issuer.Issue(session);

        var expected = TestKeys.Start.ToUnixTimeSeconds() + 120;
        Assert.Equal(expected, Jwt.Decode(token.Value, 1).GetProperty("exp").GetInt64());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expected), token.ExpiresAt);
    }
}
