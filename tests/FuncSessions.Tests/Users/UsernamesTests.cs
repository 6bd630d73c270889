using FuncSessions.Users;

namespace FuncSessions.Tests.Users;

public sealed class UsernamesTests
{
    private static string? Key(string username) => Usernames.Clean(username) is { } cleaned ? Usernames.Normalize(cleaned) : null;

    [Theory]
    [InlineData("Alice")]
    [InlineData("ALICE")]
    [InlineData("alice")]
    [InlineData("Ａｌｉｃｅ")]
    [InlineData("ＡＬＩＣＥ")]
    [InlineData("  Alice  ")]
    public void Normalize_MapsCaseAndWidthVariantsToOneKey(string username)
    {
        Assert.Equal("alice", Key(username));
    }

    [Fact]
    public void Normalize_KeepsDifferentNamesApart()
    {
        Assert.NotEqual(Key("alice"), Key("alice2"));
        Assert.NotEqual(Key("alice"), Key("allce"));
    }

    [Fact]
    public void Clean_ReturnsNfkcDisplayFormKeepingCase()
    {
        Assert.Equal("Alice", Usernames.Clean("Ａｌｉｃｅ"));
        Assert.Equal("Alice", Usernames.Clean("\tAlice\n"));
    }

    [Fact]
    public void Clean_ComposesCombiningSequences()
    {
        Assert.Equal(Key("Jos\u00e9"), Key("Jose\u0301"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    public void Clean_RejectsEmpty(string? username)
    {
        Assert.Null(Usernames.Clean(username));
    }

    [Theory]
    [InlineData("ali ce")]
    [InlineData("ali\tce")]
    [InlineData("ali\u00a0ce")]
    [InlineData("ali\u3000ce")]
    [InlineData("ali\u2028ce")]
    public void Clean_RejectsWhitespaceInside(string username)
    {
        Assert.Null(Usernames.Clean(username));
    }

    [Theory]
    [InlineData("ali\u0000ce")]
    [InlineData("ali\u001bce")]
    [InlineData("ali\u007fce")]
    [InlineData("ali\u0085ce")]
    [InlineData("ali\u200bce")]
    [InlineData("ali\u200dce")]
    [InlineData("ali\u202ece")]
    [InlineData("\ufeffalice")]
    public void Clean_RejectsControlAndFormatCharacters(string username)
    {
        Assert.Null(Usernames.Clean(username));
    }

    [Fact]
    public void Clean_AcceptsSixtyFourCharacters()
    {
        Assert.NotNull(Usernames.Clean(new string('a', 64)));
        Assert.NotNull(Usernames.Clean(string.Concat(Enumerable.Repeat("😀", 64))));
    }

    [Fact]
    public void Clean_RejectsMoreThanSixtyFourCharacters()
    {
        Assert.Null(Usernames.Clean(new string('a', 65)));
        Assert.Null(Usernames.Clean(string.Concat(Enumerable.Repeat("😀", 65))));
        Assert.Null(Usernames.Clean(new string('a', 100_000)));
    }

    [Fact]
    public void Clean_CountsLengthAfterNfkc()
    {
        // 33 "ﬁ" ligatures are 33 characters as typed but 66 once normalised.
        Assert.Null(Usernames.Clean(string.Concat(Enumerable.Repeat("\ufb01", 33))));
        Assert.NotNull(Usernames.Clean(string.Concat(Enumerable.Repeat("\ufb01", 32))));
    }
}
