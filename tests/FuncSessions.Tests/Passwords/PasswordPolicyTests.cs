using FuncSessions.Passwords;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Passwords;

public sealed class PasswordPolicyTests
{
    private readonly PasswordPolicy _policy = new(Options.Create(new PasswordOptions()));

    [Fact]
    public void Check_RejectsFourteenCharacters()
    {
        var problem = _policy.Check(new string('a', 14));

        Assert.NotNull(problem);
        Assert.Equal("password_too_short", problem.Value.Code);
        Assert.Contains("15", problem.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AcceptsFifteenCharacters()
    {
        Assert.Null(_policy.Check(new string('a', 15)));
    }

    [Fact]
    public void Check_CountsEmojiAsOneCharacter()
    {
        // "😀" is two UTF-16 code units: 13 + 1 emoji is 15 units but only 14 characters.
        Assert.Equal("password_too_short", _policy.Check(new string('a', 13) + "😀")?.Code);
        Assert.Null(_policy.Check(new string('a', 14) + "😀"));
    }

    [Fact]
    public void Check_CountsCharactersAfterNfkc()
    {
        // "e" + combining acute composes to one "é"; the ligature "ﬁ" decomposes to two letters.
        Assert.Equal("password_too_short", _policy.Check(string.Concat(Enumerable.Repeat("e\u0301", 14)))?.Code);
        Assert.Null(_policy.Check(string.Concat(Enumerable.Repeat("e\u0301", 15))));
        Assert.Null(_policy.Check(string.Concat(Enumerable.Repeat("\ufb01", 8))));
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("               ")]
    [InlineData(" leading and trailing ")]
    public void Check_AllowsSpaces(string password)
    {
        Assert.Null(_policy.Check(password));
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaa")]
    [InlineData("123456789012345")]
    [InlineData("ALLUPPERCASEONLY")]
    [InlineData("nouppernodigitnosymbol")]
    public void Check_HasNoCompositionRules(string password)
    {
        Assert.Null(_policy.Check(password));
    }

    [Fact]
    public void Check_AcceptsMaxLength()
    {
        Assert.Null(_policy.Check(new string('a', 1024)));
    }

    [Fact]
    public void Check_RejectsMoreThanMaxLength()
    {
        var problem = _policy.Check(new string('a', 1025));

        Assert.Equal("password_too_long", problem?.Code);
        Assert.Contains("1024", problem!.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RejectsHugeInputAsTooLong()
    {
        Assert.Equal("password_too_long", _policy.Check(new string('a', 1_000_000))?.Code);
    }

    [Fact]
    public void Check_UsesConfiguredLimits()
    {
        var policy = new PasswordPolicy(Options.Create(new PasswordOptions { MinLength = 8, MaxLength = 64 }));

        Assert.Null(policy.Check("12345678"));
        Assert.Equal("password_too_short", policy.Check("1234567")?.Code);
        Assert.Equal("password_too_long", policy.Check(new string('a', 65))?.Code);
    }
}
