using System.Security.Cryptography;
using System.Text;
using FuncSessions.Sessions;
using FuncSessions.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.Tests.Tokens;

public sealed class AccessTokenValidatorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestKeys.Start);
    private readonly TokenOptions _options = TestKeys.Options(TestKeys.NewKey("k1"));
    private readonly SigningKeyRing _ring;
    private readonly AccessTokenIssuer _issuer;
    private readonly AccessTokenValidator _validator;

    public AccessTokenValidatorTests()
    {
        _ring = TestKeys.Ring(_options);
        _issuer = new AccessTokenIssuer(_ring, Options.Create(_options), Options.Create(new SessionOptions()), _time);
        _validator = new AccessTokenValidator(_ring, Options.Create(_options), _time);
    }

    public void Dispose() => _validator.Dispose();

    private ECDsa SigningKey => _ring.Keys[0].ECDsa;

    private Session NewSession() => new()
    {
        UserId = SecureIds.NewId(),
        SessionId = SecureIds.NewId(),
        Username = "alice",
        CreatedAt = _time.GetUtcNow(),
        LastSeenAt = _time.GetUtcNow(),
        IdleExpiresAt = _time.GetUtcNow() + TimeSpan.FromDays(7),
        AbsoluteExpiresAt = _time.GetUtcNow() + TimeSpan.FromDays(30),
        RefreshTokenHash = "h",
    };

    private string Signed(Action<Dictionary<string, object?>>? editPayload = null, Dictionary<string, object?>? header = null)
    {
        var payload = Jwt.Payload(_time.GetUtcNow());
        editPayload?.Invoke(payload);
        return Jwt.Create(header ?? Jwt.Header(), payload, Jwt.Es256(SigningKey));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsClaimsWhenTokenWasIssuedForSession()
    {
        var session = NewSession();
        var token = _issuer.Issue(session);

        var claims = await _validator.ValidateAsync(token.Value);

        Assert.NotNull(claims);
        Assert.Equal(session.UserId, claims.UserId);
        Assert.Equal(session.SessionId, claims.SessionId);
        Assert.Equal(token.ExpiresAt, claims.ExpiresAt);
        Assert.Equal(_time.GetUtcNow(), claims.IssuedAt);
        Assert.Equal(_time.GetUtcNow(), claims.NotBefore);
    }

    [Fact]
    public async Task ValidateAsync_OfARememberedToken_AllocatesNothing()
    {
        var token = _issuer.Issue(NewSession()).Value;
        Assert.NotNull(await _validator.ValidateAsync(token));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = _validator.ValidateAsync(token);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(pending.IsCompletedSuccessfully);
        Assert.NotNull(await pending);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task ValidateAsync_ReturnsClaimsWhenHandBuiltTokenIsCorrect()
    {
        // The negative tests below each break one thing in tokens built this way; this proves the rest is right.
        Assert.NotNull(await _validator.ValidateAsync(Signed()));
    }

    [Theory]
    [InlineData(29, true)]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public async Task ValidateAsync_AllowsThirtySecondsOfSkewAfterExpiry(int secondsAfterExpiry, bool valid)
    {
        var token = _issuer.Issue(NewSession());
        _time.SetUtcNow(token.ExpiresAt + TimeSpan.FromSeconds(secondsAfterExpiry));

        var claims = await _validator.ValidateAsync(token.Value);

        Assert.Equal(valid, claims is not null);
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenCachedTokenHasSinceExpired()
    {
        var token = _issuer.Issue(NewSession());
        Assert.NotNull(await _validator.ValidateAsync(token.Value));
        _time.SetUtcNow(token.ExpiresAt + TimeSpan.FromSeconds(31));

        Assert.Null(await _validator.ValidateAsync(token.Value));
    }

    [Theory]
    [InlineData(29, true)]
    [InlineData(31, false)]
    public async Task ValidateAsync_AllowsThirtySecondsOfSkewBeforeNotBefore(int secondsAhead, bool valid)
    {
        var token = Signed(p => p["nbf"] = _time.GetUtcNow().ToUnixTimeSeconds() + secondsAhead);

        Assert.Equal(valid, await _validator.ValidateAsync(token) is not null);
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenIssuedAtIsInTheFutureBeyondSkew()
    {
        var token = Signed(p => p["iat"] = _time.GetUtcNow().ToUnixTimeSeconds() + 31);

        Assert.Null(await _validator.ValidateAsync(token));
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    [InlineData("sub")]
    [InlineData("sid")]
    [InlineData("iss")]
    [InlineData("aud")]
    public async Task ValidateAsync_ReturnsNullWhenRequiredClaimIsMissing(string claim)
    {
        Assert.Null(await _validator.ValidateAsync(Signed(p => p.Remove(claim))));
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("sid")]
    public async Task ValidateAsync_ReturnsNullWhenIdClaimIsNotWellFormed(string claim)
    {
        Assert.Null(await _validator.ValidateAsync(Signed(p => p[claim] = "alice")));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenIssuerDiffers()
    {
        var token = _issuer.Issue(NewSession()).Value;
        var other = TestKeys.Options();
        other.SigningKeys = _options.SigningKeys;
        other.Issuer = "https://someone-else.example";
        using var validator = new AccessTokenValidator(_ring, Options.Create(other), _time);

        Assert.Null(await validator.ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenAudienceDiffers()
    {
        var token = _issuer.Issue(NewSession()).Value;
        var other = TestKeys.Options();
        other.SigningKeys = _options.SigningKeys;
        other.Audience = "another-api";
        using var validator = new AccessTokenValidator(_ring, Options.Create(other), _time);

        Assert.Null(await validator.ValidateAsync(token));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    public async Task ValidateAsync_ReturnsNullWhenTokenIsUnsigned(string alg)
    {
        var token = Jwt.Create(Jwt.Header(alg: alg), Jwt.Payload(_time.GetUtcNow()), sign: null);

        Assert.Null(await _validator.ValidateAsync(token));
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("der")]
    public async Task ValidateAsync_ReturnsNullWhenTokenIsHs256SignedWithPublicKey(string encoding)
    {
        var publicKey = encoding == "pem"
            ? Encoding.ASCII.GetBytes(SigningKey.ExportSubjectPublicKeyInfoPem())
            : SigningKey.ExportSubjectPublicKeyInfo();
        var token = Jwt.Create(Jwt.Header(alg: "HS256"), Jwt.Payload(_time.GetUtcNow()), Jwt.Hs256(publicKey));

        Assert.Null(await _validator.ValidateAsync(token));
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public async Task ValidateAsync_ReturnsNullWhenRingKeySignsWithAnotherEcdsaAlgorithm(string alg)
    {
        var hash = alg == "ES384" ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
        var token = Jwt.Create(Jwt.Header(alg: alg), Jwt.Payload(_time.GetUtcNow()), data => SigningKey.SignData(data, hash));

        Assert.Null(await _validator.ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenSignedByAnotherKeyWithSameKid()
    {
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = Jwt.Create(Jwt.Header(kid: "k1"), Jwt.Payload(_time.GetUtcNow()), Jwt.Es256(impostor));

        Assert.Null(await _validator.ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenKidIsUnknownEvenIfSignatureMatchesAKnownKey()
    {
        Assert.Null(await _validator.ValidateAsync(Signed(header: Jwt.Header(kid: "k2"))));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenKidIsMissing()
    {
        Assert.Null(await _validator.ValidateAsync(Signed(header: Jwt.Header(kid: null))));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenPayloadIsTampered()
    {
        var token = _issuer.Issue(NewSession()).Value;
        var parts = token.Split('.');
        var payload = Jwt.Decode(token, 1).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        payload["sub"] = SecureIds.NewId();

        var tampered = $"{parts[0]}.{Jwt.Part(payload)}.{parts[2]}";

        Assert.Null(await _validator.ValidateAsync(tampered));
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData("id_token+jwt")]
    [InlineData(null)]
    public async Task ValidateAsync_ReturnsNullWhenTypeIsNotAccessTokenJwt(string? typ)
    {
        Assert.Null(await _validator.ValidateAsync(Signed(header: Jwt.Header(typ: typ))));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenTokenIsLongerThanMaxTokenLength()
    {
        // Pad one signed token until it crosses the limit, so the only difference between the two is their length.
        string? longestAccepted = null, shortestRejected = null;
        for (var pad = 2_000; shortestRejected is null; pad++)
        {
            var token = Signed(p => p["pad"] = new string('x', pad));
            if (token.Length <= AccessTokenValidator.MaxTokenLength)
            {
                longestAccepted = token;
            }
            else
            {
                shortestRejected = token;
            }
        }

        Assert.NotNull(longestAccepted);
        Assert.NotNull(await _validator.ValidateAsync(longestAccepted));
        Assert.Null(await _validator.ValidateAsync(shortestRejected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a.b.c")]
    [InlineData("not a jwt at all")]
    public async Task ValidateAsync_ReturnsNullWhenTokenIsMalformed(string? token)
    {
        Assert.Null(await _validator.ValidateAsync(token));
    }

    [Fact]
    public async Task ValidateAsync_AcceptsTokenSignedByOlderKeyWhenRingHasNewAndOldKeys()
    {
        var oldKey = _options.SigningKeys[0];
        var rotated = TestKeys.Options(TestKeys.NewKey("k2"), oldKey);
        var rotatedRing = TestKeys.Ring(rotated);
        using var validator = new AccessTokenValidator(rotatedRing, Options.Create(rotated), _time);
        var oldToken = _issuer.Issue(NewSession()).Value;
        var newToken = new AccessTokenIssuer(rotatedRing, Options.Create(rotated), Options.Create(new SessionOptions()), _time).Issue(NewSession()).Value;

        Assert.NotNull(await validator.ValidateAsync(oldToken));
        Assert.NotNull(await validator.ValidateAsync(newToken));
        Assert.Equal("k2", Jwt.Decode(newToken, 0).GetProperty("kid").GetString());
        // The old ring never learned the new key, so it must not accept tokens signed with it.
        Assert.Null(await _validator.ValidateAsync(newToken));
    }

    [Fact]
    public async Task ValidateAsync_ReturnsNullWhenSigningKeyWasRemovedFromRing()
    {
        var token = _issuer.Issue(NewSession()).Value;
        var withoutOldKey = TestKeys.Options(TestKeys.NewKey("k2"));
        using var validator = new AccessTokenValidator(TestKeys.Ring(withoutOldKey), Options.Create(withoutOldKey), _time);

        Assert.Null(await validator.ValidateAsync(token));
    }
}
