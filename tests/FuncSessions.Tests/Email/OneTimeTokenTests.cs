using System.Buffers.Text;
using FuncSessions.Email;
using FuncSessions.Sessions;

namespace FuncSessions.Tests.Email;

/// <summary>The link token format "{userId}.{kind}.{secret}": one accepted spelling per token, nothing else parses.</summary>
public sealed class OneTimeTokenTests
{
    [Theory]
    [InlineData(OneTimeTokenKind.VerifyEmail, "verify")]
    [InlineData(OneTimeTokenKind.ResetPassword, "reset")]
    [InlineData(OneTimeTokenKind.ChangeEmail, "change")]
    public void Create_ThenTryParse_RoundTripsUserKindAndValue(OneTimeTokenKind kind, string code)
    {
        var userId = SecureIds.NewId();
        var token = OneTimeToken.Create(userId, kind);

        Assert.True(OneTimeToken.TryParse(token.Value, out var parsed));
        Assert.Equal(userId, parsed.UserId);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(token.Value, parsed.Value);
        Assert.Equal(token.Hash, parsed.Hash);
        var parts = token.Value.Split('.');
        Assert.Equal(code, parts[1]);
        Assert.Equal(32, Base64Url.DecodeFromChars(parts[2]).Length);
    }

    [Fact]
    public void Create_GivesADifferentSecretEachTime_AndTheHashIsNotTheToken()
    {
        var userId = SecureIds.NewId();
        var first = OneTimeToken.Create(userId, OneTimeTokenKind.ResetPassword);
        var second = OneTimeToken.Create(userId, OneTimeTokenKind.ResetPassword);

        Assert.NotEqual(first.Value, second.Value);
        Assert.DoesNotContain(first.Value.Split('.')[2], first.Hash, StringComparison.Ordinal);
    }

    public static TheoryData<string?> Malformed()
    {
        var good = OneTimeToken.Create(SecureIds.NewId(), OneTimeTokenKind.ResetPassword).Value;
        var parts = good.Split('.');
        return new TheoryData<string?>
        {
            null,
            "",
            parts[0] + "." + parts[1],
            good + ".extra",
            $"{parts[0]}.unknown.{parts[2]}",
            $"{parts[0]}.RESET.{parts[2]}",
            $"short.{parts[1]}.{parts[2]}",
            $"{parts[0]}.{parts[1]}.{parts[2][..^2]}",
            $"{parts[0]}.{parts[1]}.{parts[2]}AA",
            $"{parts[0]}.{parts[1]}.{parts[2].Replace('-', '+').Replace('_', '/')}=",
            " " + good,
            good + new string('A', 100),
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_RefusesEveryOtherShape(string? value)
    {
        Assert.False(OneTimeToken.TryParse(value, out var token));
        Assert.Null(token);
    }

    [Fact]
    public void TryParse_RefusesANonCanonicalSpellingOfTheSameSecret()
    {
        // Note: 32 bytes are 43 base64url characters, whose last carries 2 unused bits; setting one spells the same secret.
        var good = OneTimeToken.Create(SecureIds.NewId(), OneTimeTokenKind.VerifyEmail).Value;
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = Alphabet.IndexOf(good[^1], StringComparison.Ordinal);
        var variant = good[..^1] + Alphabet[last ^ 1];

        Assert.NotEqual(good, variant);
        Assert.False(OneTimeToken.TryParse(variant, out _));
    }
}
