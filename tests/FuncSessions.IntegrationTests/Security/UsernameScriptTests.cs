using System.Net;
using System.Text;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Users;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>
/// Issue 14.4: every name the username policy accepts can register and log in. Escaped for a table key, 64 characters
/// of CJK or emoji are far longer than the 512-character key limit; they used to make registration answer 500.
/// </summary>
public sealed class UsernameScriptTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    // Note: (first, last) code points of blocks from several scripts, without spaces, controls or format characters.
    private static readonly (int First, int Last)[] Scripts =
    [
        (0x4E00, 0x9FFF),   // CJK ideographs: 3 UTF-8 bytes each
        (0x1F600, 0x1F64F), // emoji: 4 bytes, two UTF-16 units
        (0x0600, 0x060B),   // Arabic signs
        (0x0621, 0x064A),   // Arabic letters
        (0x0905, 0x0939),   // Devanagari
        (0x0410, 0x044F),   // Cyrillic
        (0xAC00, 0xD7A3),   // Hangul syllables
        (0x10400, 0x1044F), // Deseret: supplementary-plane letters with case
        (0x0041, 0x005A),   // Latin capitals, for names that stay under the limit
    ];

    [Fact]
    public async Task NamesTheUsernamePolicyAccepts_InManyScripts_RegisterAndLogIn_NeverA500()
    {
        var random = new Random(1402);
        using var client = Server.CreateClient();
        var names = new List<string>();
        foreach (var (first, last) in Scripts)
        {
            foreach (var length in new[] { Usernames.MaxLength, random.Next(20, Usernames.MaxLength) })
            {
                var name = new StringBuilder();
                while (name.Length == 0 || Usernames.Clean(name.ToString())!.EnumerateRunes().Count() < length)
                {
                    var rune = new Rune(random.Next(first, last + 1));
                    if (Usernames.Clean(name.ToString() + rune) is not null)
                    {
                        name.Append(rune.ToString());
                    }
                }

                names.Add(name.ToString());
            }
        }

        Assert.Contains(names, n => Uri.EscapeDataString(Usernames.Normalize(Usernames.Clean(n)!)).Length > 512);
        foreach (var name in names)
        {
            using var register = await client.PostAsync("/api/auth/register", new { username = name, password = Password });
            Assert.True(register.StatusCode == HttpStatusCode.Accepted, $"register {name}: {(int)register.StatusCode}");
            using var login = await client.PostAsync("/api/auth/login", new { username = name, password = Password });
            Assert.True(login.StatusCode == HttpStatusCode.OK, $"login {name}: {(int)login.StatusCode}");
            Assert.Equal(Usernames.Clean(name), (string?)(await login.JsonAsync())["username"]);
        }
    }

    [Fact]
    public async Task ALongNameIsOneAccount_ItsOtherCaseLogsIntoIt_AndCannotBeRegisteredTwice()
    {
        // Note: Deseret letters have case; the escaped lower-case form is 64 x 12 = 768 characters, so the hashed key.
        var upper = string.Concat(Enumerable.Range(0, Usernames.MaxLength).Select(i => char.ConvertFromUtf32(0x10400 + (i % 20))));
        var lower = upper.ToLowerInvariant();
        Assert.NotEqual(upper, lower);
        using var client = Server.CreateClient();

        await RegisterAsync(client, upper);
        await RegisterAsync(client, lower, password: "someone else's long passphrase");

        await LoginAsync(client, lower);
        using var impostor = await client.PostAsync("/api/auth/login", new { username = upper, password = "someone else's long passphrase" });
        Assert.Equal(HttpStatusCode.Unauthorized, impostor.StatusCode);
    }
}
