using System.Buffers.Binary;
using System.Security.Cryptography;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>An authenticator app in the test: RFC 6238 written out here, not the server's library, so the two check each other.</summary>
public sealed class TestTotp(string base32Secret)
{
    private readonly byte[] _key = Base32Decode(base32Secret);

    public static long Step(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

    public string CodeAt(DateTimeOffset at) => CodeForStep(Step(at));

    public string CodeForStep(long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(_key, counter);
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff;
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var output = new List<byte>();
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
