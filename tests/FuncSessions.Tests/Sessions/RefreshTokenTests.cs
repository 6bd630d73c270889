using System.Buffers.Text;
using FuncSessions.Sessions;

namespace FuncSessions.Tests.Sessions;

public sealed class RefreshTokenTests
{
    private static readonly string UserId = SecureIds.NewId();
    private static readonly string SessionId = SecureIds.NewId();

    private static string[] PartsOf(RefreshToken token) => token.Value.Split('.');

    [Fact]
    public void TryParse_RoundTripsCreatedToken()
    {
        var created = RefreshToken.Create(UserId, SessionId);

        Assert.True(RefreshToken.TryParse(created.Value, out var parsed));

        Assert.Equal(created.Value, parsed.Value);
        Assert.Equal(UserId, parsed.UserId);
        Assert.Equal(SessionId, parsed.SessionId);
        Assert.Equal(created.Hash, parsed.Hash);
    }

    [Fact]
    public void Create_ProducesIdsDotIdsDotSecret()
    {
        var parts = PartsOf(RefreshToken.Create(UserId, SessionId));

        Assert.Equal(3, parts.Length);
        Assert.Equal((UserId, SessionId), (parts[0], parts[1]));
        Assert.Equal(32, Base64Url.DecodeFromChars(parts[2]).Length);
    }

    [Fact]
    public void Hash_IsSha256OfWholeValueAndNotTheValue()
    {
        var token = RefreshToken.Create(UserId, SessionId);

        Assert.Equal(SecureIds.Hash(token.Value), token.Hash);
        Assert.Equal(32, Base64Url.DecodeFromChars(token.Hash).Length);
        Assert.DoesNotContain(PartsOf(token)[2], token.Hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void TryParse_ReturnsFalseWhenPartCountIsNotThree(int partCount)
    {
        var parts = PartsOf(RefreshToken.Create(UserId, SessionId));
        var value = string.Join('.', Enumerable.Range(0, partCount).Select(i => parts[i % 3]));

        Assert.False(RefreshToken.TryParse(value, out var token));
        Assert.Null(token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("..")]
    public void TryParse_ReturnsFalseWhenValueIsEmpty(string? value)
    {
        Assert.False(RefreshToken.TryParse(value, out _));
    }

    [Theory]
    [InlineData(0, '+')]
    [InlineData(0, '/')]
    [InlineData(1, '*')]
    [InlineData(2, '+')]
    [InlineData(2, '/')]
    [InlineData(2, '=')]
    [InlineData(2, ' ')]
    public void TryParse_ReturnsFalseWhenPartHasCharacterOutsideBase64Url(int part, char bad)
    {
        var parts = PartsOf(RefreshToken.Create(UserId, SessionId));
        parts[part] = bad + parts[part][1..];

        Assert.False(RefreshToken.TryParse(string.Join('.', parts), out _));
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(0, 17)]
    [InlineData(1, 12)]
    [InlineData(2, 31)]
    [InlineData(2, 33)]
    [InlineData(2, 64)]
    public void TryParse_ReturnsFalseWhenPartDecodesToWrongLength(int part, int bytes)
    {
        var parts = PartsOf(RefreshToken.Create(UserId, SessionId));
        parts[part] = Base64Url.EncodeToString(new byte[bytes]);

        Assert.False(RefreshToken.TryParse(string.Join('.', parts), out _));
    }

    [Fact]
    public void TryParse_ReturnsFalseWhenSecretIsNonCanonicalSpellingOfSameBytes()
    {
        var token = RefreshToken.Create(UserId, SessionId);
        var parts = PartsOf(token);
        // 32 bytes take 43 characters, leaving the last one two unused low bits; a lenient decoder reads this as the same secret.
        var last = parts[2][^1];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        parts[2] = parts[2][..^1] + alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) ^ 1];
        var variant = string.Join('.', parts);

        Assert.False(RefreshToken.TryParse(variant, out _));
    }

    [Theory]
    [InlineData("=")]
    [InlineData(" ")]
    [InlineData("\n")]
    public void TryParse_ReturnsFalseWhenSecretHasPaddingOrWhitespace(string extra)
    {
        var value = RefreshToken.Create(UserId, SessionId).Value;

        Assert.False(RefreshToken.TryParse(value + extra, out _));
        Assert.False(RefreshToken.TryParse(value[..^5] + extra + value[^5..], out _));
    }

    [Theory]
    [InlineData(129)]
    [InlineData(10_000)]
    public void TryParse_ReturnsFalseWhenValueIsOverLong(int length)
    {
        var value = RefreshToken.Create(UserId, SessionId).Value;
        var padded = value + new string('A', length - value.Length);

        Assert.False(RefreshToken.TryParse(padded, out _));
        Assert.False(RefreshToken.TryParse(new string('.', length), out _));
    }

    [Fact]
    public void OpenSuccessor_ReturnsSuccessorWhenOpenedWithParent()
    {
        var parent = RefreshToken.Create(UserId, SessionId);
        var successor = RefreshToken.Create(UserId, SessionId);

        var opened = parent.OpenSuccessor(parent.Seal(successor));

        Assert.NotNull(opened);
        Assert.Equal(successor.Value, opened.Value);
    }

    [Fact]
    public void OpenSuccessor_ReturnsNullWhenOpenedWithAnyOtherToken()
    {
        var parent = RefreshToken.Create(UserId, SessionId);
        var successor = RefreshToken.Create(UserId, SessionId);
        var seal = parent.Seal(successor);

        Assert.Null(RefreshToken.Create(UserId, SessionId).OpenSuccessor(seal));
        Assert.Null(successor.OpenSuccessor(seal));
        Assert.Null(RefreshToken.Create(SecureIds.NewId(), SecureIds.NewId()).OpenSuccessor(seal));
    }

    [Fact]
    public void OpenSuccessor_ReturnsNullWhenParentWithSameSecretNamesAnotherSession()
    {
        var parent = RefreshToken.Create(UserId, SessionId);
        var seal = parent.Seal(RefreshToken.Create(UserId, SessionId));
        var sameSecretOtherSession = $"{UserId}.{SecureIds.NewId()}.{PartsOf(parent)[2]}";
        Assert.True(RefreshToken.TryParse(sameSecretOtherSession, out var other));

        // The session id is bound into the seal, so a seal copied to another row cannot be opened there.
        Assert.Null(other.OpenSuccessor(seal));
    }

    [Fact]
    public void Seal_UsesFreshNonceEachTime()
    {
        var parent = RefreshToken.Create(UserId, SessionId);
        var successor = RefreshToken.Create(UserId, SessionId);

        Assert.NotEqual(parent.Seal(successor), parent.Seal(successor));
    }

    [Fact]
    public void Seal_DoesNotContainSuccessorSecret()
    {
        var parent = RefreshToken.Create(UserId, SessionId);
        var successor = RefreshToken.Create(UserId, SessionId);

        Assert.DoesNotContain(PartsOf(successor)[2], parent.Seal(successor), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64url!")]
    [InlineData("AAAA")]
    public void OpenSuccessor_ReturnsNullWhenSealIsMalformed(string? seal)
    {
        Assert.Null(RefreshToken.Create(UserId, SessionId).OpenSuccessor(seal));
    }

    [Fact]
    public void OpenSuccessor_ReturnsNullWhenSealIsTampered()
    {
        var parent = RefreshToken.Create(UserId, SessionId);
        var bytes = Base64Url.DecodeFromChars(parent.Seal(RefreshToken.Create(UserId, SessionId)));
        bytes[20] ^= 0x01;

        Assert.Null(parent.OpenSuccessor(Base64Url.EncodeToString(bytes)));
    }

    [Fact]
    public void Create_GeneratesUniqueTokensWithFullLengthSecrets()
    {
        var tokens = Enumerable.Range(0, 10_000).Select(_ => RefreshToken.Create(UserId, SessionId)).ToList();

        Assert.Equal(tokens.Count, tokens.Select(t => t.Value).Distinct().Count());
        Assert.All(tokens, t => Assert.Equal(32, Base64Url.DecodeFromChars(t.Value.Split('.')[2]).Length));
    }
}
