using System.Buffers.Text;
using FuncSessions.Sessions;

namespace FuncSessions.Tests.Sessions;

public sealed class SecureIdsTests
{
    [Fact]
    public void NewId_Generates10000UniqueIdsOf16Bytes()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => SecureIds.NewId()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            Assert.Equal(22, id.Length);
            Assert.Equal(16, Base64Url.DecodeFromChars(id).Length);
            Assert.True(SecureIds.IsWellFormedId(id));
        });
    }

    [Fact]
    public void NewSecret_Generates10000UniqueSecretsOf32Bytes()
    {
        var secrets = Enumerable.Range(0, 10_000).Select(_ => SecureIds.NewSecret()).ToList();

        Assert.All(secrets, s => Assert.Equal(32, s.Length));
        Assert.Equal(secrets.Count, secrets.Select(Convert.ToHexString).Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA+A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAA AAAAAAAAAAA")]
    public void IsWellFormedId_ReturnsFalseWhenNotTwentyTwoBase64UrlCharactersOfSixteenBytes(string? value)
    {
        Assert.False(SecureIds.IsWellFormedId(value));
    }

    [Fact]
    public void ConstantTimeEquals_ComparesWholeValue()
    {
        var hash = SecureIds.Hash("a");

        Assert.True(SecureIds.ConstantTimeEquals(hash, SecureIds.Hash("a")));
        Assert.False(SecureIds.ConstantTimeEquals(hash, SecureIds.Hash("b")));
        Assert.False(SecureIds.ConstantTimeEquals(hash, hash[..^1]));
    }
}
