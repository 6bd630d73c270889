using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Passwords;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>
/// The cap on concurrent password hashing (issue 19): with one slot, parallel logins queue and all succeed; while the
/// slot stays taken past the queue timeout they get 503 <c>server_busy</c> with <c>Retry-After</c>, and nothing else.
/// </summary>
public sealed class HashingCapacityTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const int Parallel = 8;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Passwords:MaxConcurrentHashes"] = "1",
        ["FuncSessions:Passwords:HashQueueTimeout"] = "00:00:05",
        // Note: the per-address limit is not under test here.
        ["FuncSessions:Throttling:ClientLimit"] = "1000000",
    };

    // Note: one account per parallel login, since parallel attempts on one account are the account throttle's business.
    private async Task<List<string>> RegisterAccountsAsync(ApiClient client)
    {
        var usernames = new List<string>();
        for (var i = 0; i < Parallel; i++)
        {
            usernames.Add(await RegisterAsync(client));
        }

        return usernames;
    }

    private static Task<HttpResponseMessage[]> LogInAllAsync(ApiClient client, List<string> usernames) =>
        Task.WhenAll(usernames.Select(username => client.PostAsync("/api/auth/login", new { username, password = Password })));

    [Fact]
    public async Task ParallelLogins_WithOneHashingSlot_QueueAndAllSucceed()
    {
        using var client = Server.CreateClient();
        var usernames = await RegisterAccountsAsync(client);

        // Note: the test clock never moves here, so the queue timeout cannot expire: every login waits its turn.
        var responses = await LogInAllAsync(client, usernames);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ParallelLogins_WhileTheOnlySlotStaysTaken_Get503ServerBusyWithRetryAfter_ThenSucceedOnceItIsFree()
    {
        using var client = Server.CreateClient();
        var usernames = await RegisterAccountsAsync(client);
        var slots = Server.Services.GetRequiredService<HashingSlots>();
        var held = await slots.EnterAsync(CancellationToken.None);

        var waiting = LogInAllAsync(client, usernames);
        var register = client.PostAsync("/api/auth/register", new { username = NewUsername(), password = Password });
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.False(waiting.IsCompleted, "the logins should wait for the slot, not fail at once");
        while (!waiting.IsCompleted || !register.IsCompleted)
        {
            Server.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        foreach (var response in (await waiting).Append(await register))
        {
            await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "server_busy");
            Assert.Equal("5", Assert.Single(response.Headers.GetValues("Retry-After")));
            response.Dispose();
        }

        held.Dispose();
        var after = await LogInAllAsync(client, usernames);
        Assert.All(after, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in after)
        {
            response.Dispose();
        }
    }
}
