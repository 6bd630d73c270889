using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Throttling;
using FuncSessions.Users;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>
/// Issue 14.2: guesses sent at once are counted before their passwords are checked, so no burst gets round either
/// limit. "Checked" is a password actually verified: one <c>LoginFailed</c> event (1003) each; a refused attempt logs
/// <c>AccountThrottled</c> (5001) or <c>ClientRequestRefused</c> (5003) instead.
/// </summary>
public sealed class ParallelGuessTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const string WrongPassword = "not the right passphrase";

    [Fact]
    public async Task TwoHundredFiftyParallelWrongGuesses_AtOneAccount_CheckAtMostHalfTheAccountLimit_AndEveryStrikeIsKept()
    {
        using var setup = Server.CreateClient();
        var username = await RegisterAsync(setup);

        var codes = await SendAtOnceAsync(250, _ => new { username, password = WrongPassword });

        // AccountFailureLimit 10: failures 1–4 go through, the 5th makes the rest wait, and the clock does not move.
        var checkedPasswords = Server.Logs.Entries.Count(e => e.EventId.Id == 1003);
        Assert.InRange(checkedPasswords, 1, 5);
        Assert.Equal(checkedPasswords, codes.Count(c => c == "invalid_credentials"));
        Assert.All(codes, c => Assert.Contains(c, new[] { "invalid_credentials", "too_many_attempts", "too_many_requests" }));

        // Every check was counted against the account, and every attempt past the address's gate against the address.
        var store = Server.Services.GetRequiredService<IThrottleStore>();
        var account = await store.FindAsync(ThrottleKeys.Account(Usernames.Normalize(username)), CancellationToken.None);
        var address = await store.FindAsync(ThrottleKeys.Client("127.0.0.1"), CancellationToken.None);
        Assert.Equal(checkedPasswords, account.Count);
        Assert.Equal(codes.Count(c => c != "too_many_requests"), address.Count);
    }

    [Fact]
    public async Task TwoHundredFiftyParallelWrongGuesses_AtManyNames_FromOneAddress_CheckAtMostTheAddressLimit()
    {
        await using var server = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["FuncSessions:Throttling:ClientLimit"] = "20",
        });

        var codes = await SendAtOnceAsync(250, _ => new { username = NewUsername(), password = WrongPassword }, server);
        var checkedPasswords = server.Logs.Entries.Count(e => e.EventId.Id == 1003);

        Assert.InRange(checkedPasswords, 1, 20);
        Assert.Equal(checkedPasswords, codes.Count(c => c == "invalid_credentials"));
        Assert.Equal(250 - checkedPasswords, codes.Count(c => c == "too_many_requests"));

        // Only an address that spent its whole budget is refused outright afterwards: counts were never lost.
        using var client = server.CreateClient();
        var after = new List<HttpStatusCode>();
        for (var i = checkedPasswords; i <= 20; i++)
        {
            using var response = await client.PostAsync("/api/auth/login", new { username = NewUsername(), password = WrongPassword });
            after.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, after[^1]);
        Assert.Equal(20, server.Logs.Entries.Count(e => e.EventId.Id == 1003));
    }

    /// <summary>Sends the logins together, each from its own client; the problem code of each answer.</summary>
    private async Task<string?[]> SendAtOnceAsync(int count, Func<int, object> body, SelfHostServer? server = null)
    {
        server ??= Server;
        var clients = Enumerable.Range(0, count).Select(_ => server.CreateClient()).ToList();
        try
        {
            using var start = new SemaphoreSlim(0);
            var sends = clients.Select(async (client, i) =>
            {
                await start.WaitAsync();
                using var response = await client.PostAsync("/api/auth/login", body(i));
                return (string?)(await response.JsonAsync())["code"];
            }).ToList();
            start.Release(count);
            return await Task.WhenAll(sends);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
