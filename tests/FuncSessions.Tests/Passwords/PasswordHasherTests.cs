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
        new(Options.Create(new PasswordOptions { Algorithm = PasswordHashAlgorithm.Pbkdf2, Pbkdf2Iterations = iterations }));

    private static PasswordHasher Argon2id(int memoryKiB = 19_456, int iterations = 2) =>
        new(Options.Create(new PasswordOptions { Argon2idMemoryKiB = memoryKiB, Argon2idIterations = iterations }));

    [GeneratedRegex(@"^\$pbkdf2-sha256\$i=(?<i>[0-9]+)\$(?<salt>[A-Za-z0-9_-]{22})\$(?<hash>[A-Za-z0-9_-]{43})$")]
    private static partial Regex HashFormat();

    // PHC string format: standard base64 without padding (16-byte salt, 32-byte hash).
    [GeneratedRegex(@"^\$argon2id\$v=19\$m=(?<m>[0-9]+),t=(?<t>[0-9]+),p=1\$(?<salt>[A-Za-z0-9+/]{22})\$(?<hash>[A-Za-z0-9+/]{43})$")]
    private static partial Regex Argon2idFormat();

    [Fact]
    public void Hash_UsesArgon2idAtOwaspMinimumByDefault()
    {
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions()));

        var hash = hasher.Hash(Password);

        var match = Argon2idFormat().Match(hash);
        Assert.True(match.Success, hash);
        Assert.Equal(("19456", "2"), (match.Groups["m"].Value, match.Groups["t"].Value));
        Assert.Equal(PasswordVerification.Succeeded, hasher.Verify(Password, hash));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify("correct horse battery stapl", hash));
    }

    [Fact]
    public void Argon2id_MatchesLibsodiumsOutputForAKnownSaltAndPassword()
    {
        // Computed independently with Geralt 4.5.0 (Argon2id.DeriveKey, the other libsodium binding) for this salt and
        // password at m = 19,456 KiB, t = 2: the format carries everything another verifier needs.
        const string stored = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE";

        Assert.Equal(PasswordVerification.Succeeded, Argon2id().Verify("password", stored));
        Assert.Equal(PasswordVerification.Failed, Argon2id().Verify("Password", stored));
    }

    [Fact]
    public void Argon2id_HashUsesConfiguredCostAndFreshSalt()
    {
        var hasher = Argon2id(memoryKiB: 20_000, iterations: 3);

        var first = Argon2idFormat().Match(hasher.Hash(Password));
        var second = Argon2idFormat().Match(hasher.Hash(Password));

        Assert.Equal(("20000", "3"), (first.Groups["m"].Value, first.Groups["t"].Value));
        Assert.NotEqual(first.Groups["salt"].Value, second.Groups["salt"].Value);
    }

    [Fact]
    public void Argon2id_TreatsNfkcEquivalentPasswordsAsEqual()
    {
        var hasher = Argon2id();

        Assert.Equal(PasswordVerification.Succeeded, hasher.Verify("ｐａｓｓｗｏｒｄ１２３４５６７", hasher.Hash("password1234567")));
    }

    [Fact]
    public void Pbkdf2Hash_StillVerifiesUnderArgon2id_AndAsksForARehash()
    {
        var stored = Hasher(CheapIterations).Hash(Password);

        Assert.Equal(PasswordVerification.SucceededRehashNeeded, Argon2id().Verify(Password, stored));
        Assert.Equal(PasswordVerification.Failed, Argon2id().Verify("wrong password entirely", stored));
    }

    [Fact]
    public void Argon2idHash_VerifiesUnderPbkdf2_AndAsksForARehash()
    {
        var stored = Argon2id().Hash(Password);

        Assert.Equal(PasswordVerification.SucceededRehashNeeded, Hasher().Verify(Password, stored));
    }

    [Theory]
    [InlineData(19_456, 2, PasswordVerification.Succeeded)]
    [InlineData(20_000, 2, PasswordVerification.SucceededRehashNeeded)]
    [InlineData(19_456, 3, PasswordVerification.SucceededRehashNeeded)]
    public void Argon2id_AsksForARehashWhenTheConfiguredCostIsHigher(int memoryKiB, int iterations, PasswordVerification expected)
    {
        var stored = Argon2id().Hash(Password);

        Assert.Equal(expected, Argon2id(memoryKiB, iterations).Verify(Password, stored));
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=2$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$argon2id$v=18$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$argon2id$v=19$m=19456,t=0,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$argon2id$v=19$t=2,m=19456,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA==$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE$extra")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA")]
    public void Argon2id_FailsWhenStoredHashIsMalformed(string stored)
    {
        Assert.Equal(PasswordVerification.Failed, Argon2id().Verify("password", stored));
    }

    [Fact]
    public void Hash_WritesSelfDescribingFormatWithConfiguredIterations()
    {
        var hash = Hasher().Hash(Password);

        var match = HashFormat().Match(hash);
        Assert.True(match.Success, hash);
        Assert.Equal("1000", match.Groups["i"].Value);
    }

    [Fact]
    public void Pbkdf2_UsesSixHundredThousandIterationsByDefault()
    {
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions { Algorithm = PasswordHashAlgorithm.Pbkdf2 }));

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
