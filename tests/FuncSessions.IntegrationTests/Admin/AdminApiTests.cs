using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FuncSessions.Email;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Throttling;
using FuncSessions.Users;
using Xunit.Abstractions;

namespace FuncSessions.IntegrationTests.Admin;

/// <summary>The admin API on the self-host (ASVS 7.4.2, 7.4.5): key check, look-ups, disable/enable, delete, ending sessions, audit.</summary>
public sealed class AdminApiTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    internal const string KeyName = "ops-team";
    internal const string Key = "admin-key-for-tests-0123456789abcdefABCDEF";

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        [$"FuncSessions:Admin:Keys:{KeyName}"] = Key,
        ["FuncSessions:Admin:Keys:other"] = "another-admin-key-for-tests-0123456789",
    };

    private ApiClient AdminClient()
    {
        var client = Server.CreateClient();
        client.Headers["x-functions-key"] = Key;
        return client;
    }

    [Fact]
    public async Task WithoutTheKey_401_WithAWrongKey_403_BothProblemJson_AndTheKeyIsNeverLogged()
    {
        using var anonymous = Server.CreateClient();
        using var wrong = Server.CreateClient();
        wrong.Headers["x-functions-key"] = Key[..^1] + "X";

        using var missing = await anonymous.PostAsync("/api/auth/admin/users/find", new { username = "someone" });
        using var refused = await wrong.PostAsync("/api/auth/admin/sessions/end-all");

        await missing.AssertProblemAsync(HttpStatusCode.Unauthorized, "admin_key_required");
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "admin_key_invalid");
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 9007 && e.Text.Contains("wrong key", StringComparison.Ordinal));
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Text.Contains(Key[..20], StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindUser_ById_ByUsername_AndByEmail_WithoutThePasswordHash()
    {
        using var client = Server.CreateClient();
        var username = NewUsername();
        var email = username + "@example.com";
        await RegisterWithEmailAsync(username, email);

        var userId = (string)(await LoginAsync(client, username))["userId"]!;
        using var admin = AdminClient();

        foreach (var lookup in new object[] { new { id = userId }, new { username = username.ToUpperInvariant() }, new { email } })
        {
            using var response = await admin.PostAsync("/api/auth/admin/users/find", lookup);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            Assert.Equal(userId, (string?)body["userId"]);
            Assert.Equal(email, (string?)body["email"]);
            Assert.Equal(1, (int?)body["liveSessions"]);
            Assert.False((bool)body["disabled"]!);
            Assert.Null(body["passwordHash"]);
        }

        using var unknown = await admin.PostAsync("/api/auth/admin/users/find", new { username = "nobody-" + Guid.NewGuid().ToString("N") });
        using var two = await admin.PostAsync("/api/auth/admin/users/find", new { username, email });
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "user_not_found");
        await two.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 9001 && e.Text.Contains(KeyName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindUser_ById_FindsAnAccountWithoutTheUserIdIndexRow_AndWritesTheRow()
    {
        var (client, _, login) = await SignedInClientAsync();
        var userId = (string)login["userId"]!;
        var tables = Server.Services.GetRequiredService<TableClients>();
        var index = UserKeys.ForUserIdIndex(userId);
        await tables.Users.DeleteEntityAsync(index, index);
        using var admin = AdminClient();

        using var found = await admin.PostAsync("/api/auth/admin/users/find", new { id = userId });

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.True((await tables.Users.GetEntityIfExistsAsync<TableEntity>(index, index)).HasValue);
        client.Dispose();
    }

    [Fact]
    public async Task Disable_EndsEverySessionAtOnce_LoginThenAnswersAsAWrongPassword_AndEnableRestoresLogin()
    {
        var (laptop, username, login) = await SignedInClientAsync();
        using var phone = Server.CreateClient();
        await LoginAsync(phone, username);
        var userId = (string)login["userId"]!;
        using var admin = AdminClient();

        using var disabled = await admin.PostAsync("/api/auth/admin/users/disable", new { userId });

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(2, (int?)(await disabled.JsonAsync())["sessionsEnded"]);
        foreach (var device in new[] { laptop, phone })
        {
            using var validate = await device.GetAsync("/api/auth/validate");
            await validate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
            using var refresh = await device.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        }

        using var rightPassword = await phone.PostAsync("/api/auth/login", new { username, password = Password });
        using var wrongPassword = await phone.PostAsync("/api/auth/login", new { username, password = "not the password at all" });
        await rightPassword.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(await wrongPassword.Content.ReadAsStringAsync(), await rightPassword.Content.ReadAsStringAsync());
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 9010);
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 9002 && e.Text.Contains(KeyName, StringComparison.Ordinal));

        using var enabled = await admin.PostAsync("/api/auth/admin/users/enable", new { userId });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        await LoginAsync(phone, username);
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 9003 && e.Text.Contains(KeyName, StringComparison.Ordinal));
        laptop.Dispose();
    }

    [Fact]
    public async Task Disable_WithdrawsTheSessionOfALoginThatReadTheAccountBeforeIt()
    {
        var (client, username, login) = await SignedInClientAsync();
        var users = Server.Services.GetRequiredService<IUserStore>();
        var readBeforeDisable = (await users.FindByNormalizedUsernameAsync(username, CancellationToken.None))!;
        using var admin = AdminClient();
        (await admin.PostAsync("/api/auth/admin/users/disable", new { userId = (string)login["userId"]! })).Dispose();

        // The login's last step after its password check, with the row it read before the disable.
        var issued = await Server.Services.GetRequiredService<SessionIssuer>()
            .IssueAsync(readBeforeDisable, ClientInfo.Create("race", "127.0.0.1"), CancellationToken.None);

        Assert.Null(issued);
        Assert.Empty(await Server.Services.GetRequiredService<ISessionStore>().ListAsync(readBeforeDisable.UserId, CancellationToken.None));
        client.Dispose();
    }

    [Fact]
    public async Task Delete_LeavesNothingKeyedByTheUserInAnyTable_AndIsIdempotent()
    {
        using var client = Server.CreateClient();
        var username = NewUsername();
        var email = username + "@example.com";
        await RegisterWithEmailAsync(username, email);
        var userId = (string)(await LoginAsync(client, username))["userId"]!;
        using var phone = Server.CreateClient();
        await LoginAsync(phone, username);
        (await phone.PostAsync("/api/auth/login", new { username, password = "a wrong password here" })).Dispose();
        (await phone.PostAsync("/api/auth/login", new { email, password = "a wrong password here" })).Dispose();
        var user = (await Server.Services.GetRequiredService<IUserStore>().FindByNormalizedUsernameAsync(username, CancellationToken.None))!;
        await Server.Services.GetRequiredService<TableOneTimeTokenStore>().SaveAsync(new StoredOneTimeToken
        {
            UserId = userId, Kind = OneTimeTokenKind.ResetPassword, TokenHash = "hash", ExpiresAt = Server.Time.GetUtcNow().AddMinutes(30),
            UserKey = user.Key, CredentialVersion = 0, NormalizedEmail = email, Email = email,
        }, CancellationToken.None);
        var tables = Server.Services.GetRequiredService<TableClients>();
        var traces = new[] { userId, username, email, ThrottleKeys.Account(username), ThrottleKeys.Account("\u0001" + email) };
        Assert.NotEmpty(await RowsMentioningAsync(tables, traces));
        using var admin = AdminClient();

        using var deleted = await admin.PostAsync("/api/auth/admin/users/delete", new { userId });
        using var again = await admin.PostAsync("/api/auth/admin/users/delete", new { userId });

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(2, (int?)(await deleted.JsonAsync())["sessionsEnded"]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(0, (int?)(await again.JsonAsync())["sessionsEnded"]);
        Assert.Empty(await RowsMentioningAsync(tables, traces));
        using var validate = await client.GetAsync("/api/auth/validate");
        await validate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var find = await admin.PostAsync("/api/auth/admin/users/find", new { id = userId });
        await find.AssertProblemAsync(HttpStatusCode.NotFound, "user_not_found");
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 9004 && e.Text.Contains(KeyName, StringComparison.Ordinal));
        // The name is free again.
        await RegisterWithEmailAsync(username, email);
        await LoginAsync(client, username);
    }

    [Fact]
    public async Task EndUserSessions_EndsOnlyThatUsersSessions_AndEndAll_EndsEveryone()
    {
        var (alice, _, aliceLogin) = await SignedInClientAsync();
        var (bob, _, _) = await SignedInClientAsync();
        var (carol, _, _) = await SignedInClientAsync();
        using var admin = AdminClient();

        using var one = await admin.PostAsync("/api/auth/admin/users/end-sessions", new { userId = (string)aliceLogin["userId"]! });
        Assert.Equal(1, (int?)(await one.JsonAsync())["sessionsEnded"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/auth/validate")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/auth/validate")).StatusCode);

        using var all = await admin.PostAsync("/api/auth/admin/sessions/end-all");
        Assert.Equal(2, (int?)(await all.JsonAsync())["sessionsEnded"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("/api/auth/validate")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carol.GetAsync("/api/auth/validate")).StatusCode);
        using var unknown = await admin.PostAsync("/api/auth/admin/users/end-sessions", new { userId = SecureIds.NewId() });
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "user_not_found");
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 9005 && e.Text.Contains(KeyName, StringComparison.Ordinal));
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 9006 && e.Text.Contains(KeyName, StringComparison.Ordinal));
        alice.Dispose();
        bob.Dispose();
        carol.Dispose();
    }

    // Note: through the library, since registering with an address over HTTP needs the email feature (SMTP) set up.
    private async Task RegisterWithEmailAsync(string username, string email)
    {
        var (outcome, _) = await Server.Services.GetRequiredService<UserAccounts>().RegisterAsync(username, Password, CancellationToken.None, email);
        Assert.Equal(RegistrationOutcome.Created, outcome);
    }

    /// <summary>Every row of every FuncSessions table whose keys or values contain one of <paramref name="traces"/>.</summary>
    internal static async Task<List<string>> RowsMentioningAsync(TableClients tables, IReadOnlyList<string> traces)
    {
        var found = new List<string>();
        foreach (var table in new[] { tables.Users, tables.Sessions, tables.SessionExpiry, tables.Throttles, tables.Tokens })
        {
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                var text = string.Join(" ", row.Select(p => p.Key + "=" + p.Value));
                foreach (var trace in traces.Where(t => text.Contains(t, StringComparison.OrdinalIgnoreCase) ||
                    text.Contains(Uri.EscapeDataString(t), StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add($"{table.Name}: {row.PartitionKey}/{row.RowKey} mentions {trace}");
                }
            }
        }

        return found;
    }
}

/// <summary>No admin key configured: the admin API does not exist on the self-host.</summary>
public sealed class AdminApiWithoutKeysTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task EveryAdminRoute_Answers404ProblemJson_EvenWithAKey()
    {
        using var client = Server.CreateClient();
        client.Headers["x-functions-key"] = AdminApiTests.Key;

        foreach (var route in FuncSessions.Http.AdminRoutes.All)
        {
            using var response = await client.PostAsync("/api/" + route.Template, new { });
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }
    }
}

/// <summary>What "end every session" costs: the figure docs/security.md (Admin API) quotes.</summary>
public sealed class AdminEndAllCostTests(AzuriteFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        [$"FuncSessions:Admin:Keys:{AdminApiTests.KeyName}"] = AdminApiTests.Key,
    };

    [Fact]
    public async Task EndAll_Over1000SessionsOf500Users_CostsAboutOneCallPerUserPartition()
    {
        const int users = 500;
        var store = Server.Services.GetRequiredService<ISessionStore>();
        var now = Server.Time.GetUtcNow();
        await Parallel.ForAsync(0, users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            var userId = SecureIds.NewId();
            for (var i = 0; i < 2; i++)
            {
                await store.CreateAsync(new Session
                {
                    UserId = userId, SessionId = SecureIds.NewId(), Username = "bulk", CreatedAt = now, LastSeenAt = now,
                    IdleExpiresAt = now.AddHours(1), AbsoluteExpiresAt = now.AddDays(1), RefreshTokenHash = "h",
                }, ct);
            }
        });
        using var admin = Server.CreateClient();
        admin.Headers["x-functions-key"] = AdminApiTests.Key;
        var before = Server.StorageCalls;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await admin.PostAsync("/api/auth/admin/sessions/end-all");

        var calls = Server.StorageCalls - before;
        output.WriteLine($"end-all: {users * 2} sessions of {users} users, {calls} storage calls, {clock.ElapsedMilliseconds} ms");
        Assert.Equal(users * 2, (int?)(await response.JsonAsync())["sessionsEnded"]);
        // One page query per 1,000 rows and one batch per user partition.
        Assert.InRange(calls, users + 1, users + 4);
        var tables = Server.Services.GetRequiredService<TableClients>();
        Assert.Empty(await tables.Sessions.QueryAsync<TableEntity>(maxPerPage: 1).Take(1).ToListAsync());
    }
}
