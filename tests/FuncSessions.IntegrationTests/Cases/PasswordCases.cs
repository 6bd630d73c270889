using System.Net;
using System.Text;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>Cases 25, 26, 28 and 29: what the API accepts as a password and how it compares them.</summary>
public sealed class PasswordCases(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("qmwnebrvtcyxuzi")]
    [InlineData("a b c d e f g h")]
    [InlineData("🔐🔐🔐🔐🔐🔐🔐 kfjdhsx")]
    [InlineData("Ünïcödé pässwörd with spaces, emoji 🦊🌧️ and 中文字符 — sixty-four?")]
    public async Task Case25_PasswordsOf15To64CharactersWithSpacesAndEmoji_AreAccepted_WithoutCompositionRules(string password)
    {
        Assert.InRange(password.Normalize(NormalizationForm.FormKC).EnumerateRunes().Count(), 15, 64);
        using var client = Server.CreateClient();

        var username = await RegisterAsync(client, password: password);

        await LoginAsync(client, username, password);
    }

    [Theory]
    [InlineData("kfjdhsxqmwnebr")]
    [InlineData("🔐🔐🔐🔐🔐🔐🔐 kfjdhs")]
    public async Task Case25_FourteenCharacters_AreRejectedForPasswordOnlyAccounts_CountingCodePoints(string password)
    {
        Assert.Equal(14, password.EnumerateRunes().Count());
        using var client = Server.CreateClient();

        using var response = await client.PostAsync("/api/auth/register", new { username = NewUsername(), password });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "password_too_short");
        Assert.Contains("15", (string?)(await response.JsonAsync())["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case26_PasswordOverTheConfiguredMaximum_Returns400_BeforeAnyHashingOrStorage()
    {
        // Note: no user read means no hash either: every hash follows the user lookup or precedes the insert.
        // Password change reads only the caller's session row (validate) before refusing.
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;
        var before = Server.StorageCalls;

        using var register = await client.PostAsync("/api/auth/register", new { username = NewUsername(), password = new string('p', 1025) });
        using var login = await client.PostAsync("/api/auth/login", new { username = NewUsername(), password = new string('p', 4097) });
        Assert.Equal(before, Server.StorageCalls);
        using var change = await client.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = new string('p', 1025) });

        await register.AssertProblemAsync(HttpStatusCode.BadRequest, "password_too_long");
        await login.AssertProblemAsync(HttpStatusCode.BadRequest, "password_too_long");
        await change.AssertProblemAsync(HttpStatusCode.BadRequest, "password_too_long");
        Assert.Equal(1, Server.StorageCalls - before);
    }

    [Fact]
    public async Task Case26_BodyOfTenMegabytes_Returns413_BeforeParsing_WithOrWithoutAContentLength()
    {
        using var client = Server.CreateClient();
        var before = Server.StorageCalls;
        const int tenMegabytes = 10 * 1024 * 1024;

        using var declared = await client.PostRawAsync("/api/auth/login", "{\"username\":\"a\",\"password\":\"" + new string('x', tenMegabytes) + "\"}", "application/json");
        using var streamed = await client.SendAsync(HttpMethod.Post, "/api/auth/login", new EndlessJsonContent(tenMegabytes));

        await declared.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        await streamed.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Equal(before, Server.StorageCalls);
    }

    [Theory]
    [InlineData(100, "a")]
    [InlineData(1024, "a")]
    [InlineData(40, "🦊")]
    public async Task Case28_LongPasswordsDifferingOnlyInTheLastCharacter_AreDistinct(int length, string unit)
    {
        var prefix = string.Concat(Enumerable.Repeat(unit, length - 1));
        var password = prefix + "1";
        var almost = prefix + "2";
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client, password: password);

        using var wrong = await client.PostAsync("/api/auth/login", new { username, password = almost });
        using var truncated = await client.PostAsync("/api/auth/login", new { username, password = prefix });

        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await truncated.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await LoginAsync(client, username, password);
    }

    [Theory]
    [InlineData("ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ ①", "correct horse battery 1")]
    [InlineData("cafe\u0301 au lait, s'il vous plai\u0302t", "caf\u00e9 au lait, s'il vous pla\u00eet")]
    [InlineData("the \ufb01ne print of a long passphrase", "the fine print of a long passphrase")]
    public async Task Case29_NfkcEquivalentSpellings_VerifyAsTheSamePassword_BothWays(string registered, string typed)
    {
        Assert.Equal(registered.Normalize(NormalizationForm.FormKC), typed.Normalize(NormalizationForm.FormKC));
        Assert.NotEqual(registered, typed);
        using var client = Server.CreateClient();

        var first = await RegisterAsync(client, password: registered);
        var second = await RegisterAsync(client, password: typed);

        await LoginAsync(client, first, typed);
        await LoginAsync(client, second, registered);
        using var other = await client.PostAsync("/api/auth/login", new { username = first, password = typed.ToUpperInvariant() });
        await other.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    /// <summary>A JSON body of the given size sent without a Content-Length (chunked), generated as it is sent.</summary>
    private sealed class EndlessJsonContent : HttpContent
    {
        private readonly int _length;

        public EndlessJsonContent(int length)
        {
            _length = length;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("{\"username\":\"a\",\"password\":\""u8.ToArray());
            var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            try
            {
                for (var sent = 0; sent < _length; sent += chunk.Length)
                {
                    await stream.WriteAsync(chunk);
                }

                await stream.WriteAsync("\"}"u8.ToArray());
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
            {
                // Note: the server may answer 413 and stop reading long before the body ends.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
