using FuncSessions.Email;

namespace FuncSessions.Tests.Email;

/// <summary>Address rules: trimmed, NFKC, domain lower-cased, the local part kept as typed but compared case-insensitively.</summary>
public sealed class EmailAddressesTests
{
    [Theory]
    [InlineData("  alice@example.com \t", "alice@example.com")]
    [InlineData("Alice@EXAMPLE.Com", "Alice@example.com")]
    // Note: NFKC: full-width letters and the "ﬁ" ligature become their plain forms, in both parts.
    [InlineData("ａｌｉｃｅ@ｅｘａｍｐｌｅ.ｃｏｍ", "alice@example.com")]
    [InlineData("oﬃce@Example.com", "office@example.com")]
    [InlineData("\"a@b\"@example.com", null)]
    public void Clean_TrimsNormalisesAndLowerCasesTheDomainOnly(string input, string? expected)
    {
        Assert.Equal(expected, EmailAddresses.Clean(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("@example.com")]
    [InlineData("alice@")]
    [InlineData("alice@localhost")]
    [InlineData("alice@example.com.")]
    [InlineData("al ice@example.com")]
    [InlineData("alice@exa\u200Bmple.com")]
    [InlineData("alice\u0007@example.com")]
    public void Clean_RefusesWhatIsNoPlausibleAddress(string? input)
    {
        Assert.Null(EmailAddresses.Clean(input));
    }

    [Fact]
    public void Clean_RefusesAddressesLongerThanAPath_AndHugeInputWithoutNormalisingIt()
    {
        var longest = new string('a', EmailAddresses.MaxLength - "@example.com".Length) + "@example.com";

        Assert.Equal(longest, EmailAddresses.Clean(longest));
        Assert.Null(EmailAddresses.Clean("a" + longest));
        Assert.Null(EmailAddresses.Clean(new string('a', 1_000_000) + "@example.com"));
    }

    [Fact]
    public void Normalize_MakesTheLocalPartCaseInsensitive_SoDifferentlyTypedAddressesAreOneKey()
    {
        var typed = new[] { "Alice@Example.com", " alice@EXAMPLE.COM", "ALICE@example.com", "ＡＬＩＣＥ@example.com" };

        var keys = typed.Select(a => EmailAddresses.Normalize(EmailAddresses.Clean(a)!)).Distinct().ToList();

        Assert.Equal(["alice@example.com"], keys);
        Assert.NotEqual(EmailAddresses.Normalize("alice@example.com"), EmailAddresses.Normalize("alice2@example.com"));
    }
}
