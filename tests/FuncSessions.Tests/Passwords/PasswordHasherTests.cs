using System.Text.RegularExpressions;
using FuncSessions.Passwords;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Passwords;

public sealed partial class PasswordHasherTests
{
    // Far below the production floor of 600,000 so the suite stays fast; only the default-cost test pays full price.
    private const int CheapIterations = 1_000;
    private const string Password = "correct horse battery staple";

    private static PasswordHasher Hasher(int iterations = CheapIterations) =>
        new(Options.Create(new PasswordOptions { Pbkdf2Iterations = iterations }));

    [GeneratedRegex(@"^\$pbkdf2-sha256\$i=(?<i>[0-9]+)\$(?<salt>[A-Za-z0-9_-]{22})\$(?<hash>[A-Za-z0-9_-]{43})$")]
    private static partial Regex HashFormat();

    [Fact]
    public void Hash_WritesSelfDescribingFormatWithConfiguredIterations()
    {
        var hash = Hasher().Hash(Password);

        var match = HashFormat().Match(hash);
        Assert.True(match.Success, hash);
        Assert.Equal("1000", match.Groups["i"].Value);
    }

    [Fact]
    public void Hash_UsesSixHundredThousandIterationsByDefault()
    {
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions()));

        var hash = hasher.Hash(Password);

        Assert.Equal("600000", HashFormat().Match(hash).Groups["i"].Value);
        Assert.Equal(PasswordVerification.Succeeded, hasher.Verify(Password, hash));
    }

    [Fact]
    public void Hash_UsesFreshSaltEachTime()
    {
        var hasher = Hasher();

        var first = HashFormat().Match(hasher.Hash(Password));
        var second = HashFormat().Match(hasher.Hash(Password));

        Assert.NotEqual(first.Groups["salt"].Value, second.Groups["salt"].Value);
        Assert.NotEqual(first.Groups["hash"].Value, second.Groups["hash"].Value);
    }

    [Fact]
    public void Verify_SucceedsWhenPasswordMatches()
    {
        var hasher = Hasher();

        Assert.Equal(PasswordVerification.Succeeded, hasher.Verify(Password, hasher.Hash(Password)));
    }

    [Theory]
    [InlineData("correct horse battery stapl")]
    [InlineData("correct horse battery staplE")]
    [InlineData("Correct horse battery staple")]
    [InlineData("correct horse battery staple ")]
    [InlineData("")]
    public void Verify_FailsWhenPasswordDiffers(string attempt)
    {
        var hasher = Hasher();

        Assert.Equal(PasswordVerification.Failed, hasher.Verify(attempt, hasher.Hash(Password)));
    }

    [Fact]
    public void Verify_DistinguishesLongPasswordsDifferingOnlyInLastCharacter()
    {
        var hasher = Hasher();
        var first = new string('a', 99) + "b";
        var second = new string('a', 99) + "c";

        var hash = hasher.Hash(first);

        Assert.Equal(PasswordVerification.Succeeded, hasher.Verify(first, hash));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify(second, hash));
    }

    [Fact]
    public void Verify_DistinguishesPasswordsBeyondHmacBlockSize()
    {
        // PBKDF2 pre-hashes keys longer than 64 bytes; the whole password must still count.
        var hasher = Hasher();
        var first = new string('x', 1000) + "1";

        Assert.Equal(PasswordVerification.Failed, hasher.Verify(new string('x', 1000) + "2", hasher.Hash(first)));
    }

    [Theory]
    [InlineData("ｐａｓｓｗｏｒｄ１２３４５６７", "password1234567")]
    [InlineData("password1234567", "ｐａｓｓｗｏｒｄ１２３４５６７")]
    [InlineData("caf\u00e9 au lait please", "cafe\u0301 au lait please")]
    [InlineData("\ufb01sh and chips forever", "fish and chips forever")]
    public void Verify_TreatsNfkcEquivalentPasswordsAsEqual(string registered, string typed)
    {
        var hasher = Hasher();

        Assert.Equal(PasswordVerification.Succeeded, hasher.Verify(typed, hasher.Hash(registered)));
    }

    [Fact]
    public void Verify_RequestsRehashWhenStoredHashUsedFewerIterations()
    {
        var stored = Hasher(CheapIterations).Hash(Password);

        var result = Hasher(CheapIterations * 2).Verify(Password, stored);

        Assert.Equal(PasswordVerification.SucceededRehashNeeded, result);
    }

    [Fact]
    public void Verify_SucceedsWithoutRehashWhenStoredHashUsedMoreIterations()
    {
        var stored = Hasher(CheapIterations * 2).Hash(Password);

        Assert.Equal(PasswordVerification.Succeeded, Hasher(CheapIterations).Verify(Password, stored));
    }

    [Fact]
    public void Verify_FailsWithWrongPasswordEvenWhenRehashWouldBeNeeded()
    {
        var stored = Hasher(CheapIterations).Hash(Password);

        Assert.Equal(PasswordVerification.Failed, Hasher(CheapIterations * 2).Verify("wrong password entirely", stored));
    }

    [Fact]
    public void Verify_FailsWhenUserIsUnknown()
    {
        Assert.Equal(PasswordVerification.Failed, Hasher().Verify(Password, storedHash: null));
    }

    [Fact]
    public void Verify_FailsWhenUnknownUserGuessesTheDummyPassword()
    {
        Assert.Equal(PasswordVerification.Failed, Hasher().Verify("FuncSessions dummy password for unknown users", storedHash: null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext password")]
    [InlineData("$pbkdf2-sha512$i=1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=-5$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=1e3$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=99999999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=1000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=1000$AAAAAAAAAAAAAAAAAAAAAA$!!!!")]
    [InlineData("$pbkdf2-sha256$i=1000$AAAAAAAAAAAAAAAAAAAAAA")]
    public void Verify_FailsWhenStoredHashIsMalformed(string stored)
    {
        Assert.Equal(PasswordVerification.Failed, Hasher().Verify(Password, stored));
    }

    [Fact]
    public void Verify_FailsWhenValidHashHasTrailingField()
    {
        var hasher = Hasher();
        var stored = hasher.Hash(Password);

        Assert.Equal(PasswordVerification.Failed, hasher.Verify(Password, stored + "$extra"));
    }
}
