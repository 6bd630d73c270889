using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>Case 36: generated ids and refresh-token secrets are long, unique and look uniformly random.</summary>
public sealed class SecureIdCases(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const int Samples = 1_000_000;

    [Fact]
    public void Case36_OneMillionIds_AreDistinct128BitValues_WithBalancedBits()
    {
        var seen = new HashSet<UInt128>(Samples);
        var ones = new int[128];
        var malformed = 0;
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < Samples; i++)
        {
            var id = SecureIds.NewId();
            if (id.Length != 22 || !Base64Url.TryDecodeFromChars(id, bytes, out var written) || written != 16)
            {
                malformed++;
                continue;
            }

            var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            seen.Add(value);
            CountBits(value, ones);
        }

        Assert.Equal(0, malformed);
        Assert.Equal(Samples, seen.Count);
        // Note: each bit of a uniform 128-bit value is set with p = 1/2; over 10^6 samples the count has a standard
        // deviation of 500, so ±6σ fails a correct generator about once in 10^7 runs, and a stuck or biased bit at once.
        Assert.All(ones, count => Assert.InRange(count, Samples / 2 - 3_000, Samples / 2 + 3_000));
    }

    [Fact]
    public void Case36_OneMillionRefreshTokenSecrets_AreDistinct256BitValues()
    {
        var seen = new HashSet<(UInt128, UInt128)>(Samples);
        var wrongLength = 0;
        for (var i = 0; i < Samples; i++)
        {
            var secret = SecureIds.NewSecret();
            wrongLength += secret.Length == 32 ? 0 : 1;
            seen.Add((BinaryPrimitives.ReadUInt128BigEndian(secret), BinaryPrimitives.ReadUInt128BigEndian(secret.AsSpan(16))));
        }

        Assert.Equal(0, wrongLength);
        Assert.Equal(Samples, seen.Count);
    }

    [Fact]
    public async Task Case36_OverHttp_SessionIdsAre128BitAndRefreshSecrets256Bit_DistinctAndCsprngShaped()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        var sessionIds = new HashSet<string>(StringComparer.Ordinal);
        var sessionId = "";
        for (var i = 0; i < 8; i++)
        {
            sessionId = (string)(await LoginAsync(client, username))["sessionId"]!;
            Assert.Equal(16, Base64Url.DecodeFromChars(sessionId).Length);
            Assert.True(sessionIds.Add(sessionId));
        }

        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var ones = new int[256];
        const int refreshes = 64;
        for (var i = 0; i < refreshes; i++)
        {
            using var refresh = await client.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
            var parts = client.Cookies[TokenDelivery.RefreshTokenCookie].Split('.');
            Assert.Equal(3, parts.Length);
            Assert.Equal(sessionId, parts[1]);
            var secret = Base64Url.DecodeFromChars(parts[2]);
            Assert.Equal(32, secret.Length);
            Assert.True(secrets.Add(parts[2]));
            CountBits(BinaryPrimitives.ReadUInt128BigEndian(secret), ones.AsSpan(0, 128));
            CountBits(BinaryPrimitives.ReadUInt128BigEndian(secret.AsSpan(16)), ones.AsSpan(128));
        }

        // Note: a counter, timestamp or fixed prefix leaves bits constant across tokens; 64 random samples leave a
        // given bit constant with probability 2^-63, so every one of the 256 bits must have been seen both ways.
        Assert.All(ones, count => Assert.InRange(count, 1, refreshes - 1));
    }

    private static void CountBits(UInt128 value, Span<int> ones)
    {
        for (var bit = 0; bit < 128; bit++)
        {
            if (((value >> bit) & UInt128.One) == UInt128.One)
            {
                ones[bit]++;
            }
        }
    }
}
