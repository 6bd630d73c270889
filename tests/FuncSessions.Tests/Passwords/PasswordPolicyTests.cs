using FuncSessions.Passwords;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Passwords;

public sealed class PasswordPolicyTests
{
    private readonly PasswordPolicy _policy = new(Options.Create(new PasswordOptions()), new CommonPasswords());

    [Fact]
    public void Check_RejectsFourteenCharacters()
    {
        var problem = _policy.Check(new string('a', 14), null);

        Assert.NotNull(problem);
        Assert.Equal("password_too_short", problem.Value.Code);
        Assert.Contains("15", problem.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AcceptsFifteenCharacters()
    {
        Assert.Null(_policy.Check(new string('a', 15), null));
    }

    [Fact]
    public void Check_CountsEmojiAsOneCharacter()
    {
        // "😀" is two UTF-16 code units: 13 + 1 emoji is 15 units but only 14 characters.
        Assert.Equal("password_too_short", _policy.Check(new string('a', 13) + "😀", null)?.Code);
        Assert.Null(_policy.Check(new string('a', 14) + "😀", null));
    }

    [Fact]
    public void Check_CountsCharactersAfterNfkc()
    {
        // "e" + combining acute composes to one "é"; the ligature "ﬁ" decomposes to two letters.
        Assert.Equal("password_too_short", _policy.Check(string.Concat(Enumerable.Repeat("e\u0301", 14)), null)?.Code);
        Assert.Null(_policy.Check(string.Concat(Enumerable.Repeat("e\u0301", 15)), null));
        Assert.Null(_policy.Check(string.Concat(Enumerable.Repeat("\ufb01", 8)), null));
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("               ")]
    [InlineData(" leading and trailing ")]
    public void Check_AllowsSpaces(string password)
    {
        Assert.Null(_policy.Check(password, null));
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaa")]
    [InlineData("123456789012345")]
    [InlineData("ALLUPPERCASEONLY")]
    [InlineData("nouppernodigitnosymbol")]
    public void Check_HasNoCompositionRules(string password)
    {
        Assert.Null(_policy.Check(password, null));
    }

    [Fact]
    public void Check_AcceptsMaxLength()
    {
        Assert.Null(_policy.Check(new string('a', 1024), null));
    }

    [Fact]
    public void Check_RejectsMoreThanMaxLength()
    {
        var problem = _policy.Check(new string('a', 1025), null);

        Assert.Equal("password_too_long", problem?.Code);
        Assert.Contains("1024", problem!.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RejectsHugeInputAsTooLong()
    {
        Assert.Equal("password_too_long", _policy.Check(new string('a', 1_000_000), null)?.Code);
    }

    [Fact]
    public void Check_UsesConfiguredLimits()
    {
        var policy = new PasswordPolicy(Options.Create(new PasswordOptions { MinLength = 8, MaxLength = 64 }), new CommonPasswords());

        Assert.Null(policy.Check("x7kq2mzp", null));
        Assert.Equal("password_too_short", policy.Check("1234567", null)?.Code);
        Assert.Equal("password_too_long", policy.Check(new string('a', 65), null)?.Code);
    }

    [Theory]
    [InlineData("passwordpassword")]
    [InlineData("PassWordPassWord")]
    [InlineData("ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ")]
    [InlineData("1qaz2wsx3edc4rfv")]
    public void Check_RejectsCommonPasswords_AfterNfkcAndCaseFolding(string password)
    {
        var problem = _policy.Check(password, null);

        Assert.Equal("password_blocklisted", problem?.Code);
    }

    [Fact]
    public void Check_RejectsEightCharacterCommonPasswords_WhenTheMinimumAllowsThem()
    {
        var policy = new PasswordPolicy(Options.Create(new PasswordOptions { MinLength = 8 }), new CommonPasswords());

        Assert.Equal("password_blocklisted", policy.Check("baseball", null)?.Code);
        Assert.Equal("password_blocklisted", policy.Check("Password1", null)?.Code);
    }

    [Theory]
    [InlineData("my FuncSessions passphrase", "alice")]
    [InlineData("my ＦＵＮＣＳＥＳＳＩＯＮＳ passphrase", "alice")]
    [InlineData("the name is Alice99 forever", "alice99")]
    public void Check_RejectsPasswordsContainingTheServiceNameOrUsername(string password, string username)
    {
        Assert.Equal("password_contains_context", _policy.Check(password, username)?.Code);
    }

    [Fact]
    public void Check_IgnoresContextWordsShorterThanFourCharacters()
    {
        Assert.Null(_policy.Check("al is in many long passphrases", "al"));
    }

    [Fact]
    public void Check_UsesTheConfiguredServiceName()
    {
        var policy = new PasswordPolicy(Options.Create(new PasswordOptions { ServiceName = "Contoso" }), new CommonPasswords());

        Assert.Equal("password_contains_context", policy.Check("contoso is my favourite", null)?.Code);
        Assert.Null(policy.Check("funcsessions is fine here", null));
    }

    [Fact]
    public void Blocklist_HoldsTheShippedList()
    {
        var list = new CommonPasswords();

        Assert.Equal(17_950, list.Count);
        Assert.True(list.Contains("baseball"));
    }
}
