using FuncSessions.Tokens;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Tokens;

internal static class TestKeys
{
    /// <summary>A date far enough ahead of the real clock that the validator's memory cache (wall clock) keeps entries.</summary>
    public static readonly DateTimeOffset Start = new(2099, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static SigningKeyOptions NewKey(string keyId) => new() { KeyId = keyId, PrivateKey = SigningKeyRing.NewPrivateKey() };

    public static TokenOptions Options(params SigningKeyOptions[] keys) => new() { SigningKeys = [.. keys] };

    public static SigningKeyRing Ring(params SigningKeyOptions[] keys) => new(Microsoft.Extensions.Options.Options.Create(Options(keys)));

    public static SigningKeyRing Ring(TokenOptions options) => new(Microsoft.Extensions.Options.Options.Create(options));
}
