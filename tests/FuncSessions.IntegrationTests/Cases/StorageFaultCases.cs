using System.Collections.Concurrent;
using System.Net;
using Azure.Data.Tables;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Tokens;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>
/// Case 22 and the fault-tolerance requirement: a real Azurite (on disk, so data survives a restart) stopped and
/// restarted under load, and a fault-injecting TCP proxy between the self-host and Azurite for transient faults.
/// The API fails closed (503, never a valid session), the SDK retries transient faults a bounded number of times,
/// and nothing acknowledged is lost.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StorageFaultCases : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";

    private readonly string _location = Path.Combine(Path.GetTempPath(), "funcsessions-azurite", Guid.NewGuid().ToString("N"));
    private AzuriteProcess _azurite = null!;
    private FaultInjectingProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_location);
        _azurite = await AzuriteProcess.StartAsync(_location);
        _proxy = new FaultInjectingProxy(_azurite.Port);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_location, recursive: true);
    }

    [Fact]
    public async Task Case22_StorageDown_ValidateRefreshLoginAndLogout_Answer503_NeverSuccess()
    {
        await using var server = await SelfHostServer.StartAsync(_azurite);
        using var client = server.CreateClient();
        await SignInAsync(client, "outage-user");
        var cookies = new Dictionary<string, string>(client.Cookies);

        await _azurite.StopAsync();

        using var validate = await client.GetAsync("/api/auth/validate");
        await validate.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        using var refresh = await client.PostAsync("/api/auth/refresh");
        await refresh.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        // Note: a logout that could not reach storage says so, and leaves the cookies for a retry.
        using var logout = await client.PostAsync("/api/auth/logout");
        await logout.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.Equal(cookies, client.Cookies);
        using var login = await client.PostAsync("/api/auth/login", new { username = "outage-user", password = Password });
        await login.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.Equal(cookies, client.Cookies);
    }

    [Fact]
    public async Task Case22_AzuriteStoppedUnderLoad_NeverAnswers200ForRevokedOrUnknown_AndLosesNothingOnRestart()
    {
        // Note: the hostile workers' refreshes are failed guesses from one address, and they run for as long as the outage
        // and the restart take; the address's budget is out of reach so that what this case sees is storage, not the
        // throttle (BruteForceTests checks that).
        await using var server = await SelfHostServer.StartAsync(_azurite,
            new Dictionary<string, string?> { ["FuncSessions:Throttling:ClientLimit"] = "1000000" });
        var tables = server.Services.GetRequiredService<TableClients>();
        var live = new List<(ApiClient Client, string Username)>();
        for (var i = 0; i < 4; i++)
        {
            var client = server.CreateClient();
            await SignInAsync(client, $"load-user-{i}");
            live.Add((client, $"load-user-{i}"));
        }

        var revoked = new List<Dictionary<string, string>>();
        foreach (var (_, username) in live.Take(2))
        {
            using var client = server.CreateClient();
            await LoginAsync(client, username);
            var held = new Dictionary<string, string>(client.Cookies);
            using var logout = await client.PostAsync("/api/auth/logout");
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            revoked.Add(held);
        }

        var forge = new ForgedTokens(server.Services.GetRequiredService<SigningKeyRing>(), "https://funcsessions.test/api", "funcsessions-api",
            SecureIds.NewId(), SecureIds.NewId());
        var unknown = new Dictionary<string, string>
        {
            [TokenDelivery.AccessTokenCookie] = forge.Sign(forge.Header(), forge.Payload(server.Time.GetUtcNow())),
            [TokenDelivery.RefreshTokenCookie] = RefreshToken.Create(SecureIds.NewId(), SecureIds.NewId()).Value,
        };
        var usersBefore = await SnapshotAsync(tables.Users);
        var sessionKeysBefore = (await SnapshotAsync(tables.Sessions)).Keys.Order(StringComparer.Ordinal).ToList();

        var results = new ConcurrentQueue<(string Kind, bool AfterOutage, HttpStatusCode Status)>();
        var restarted = false;
        using var stop = new CancellationTokenSource();
        var workers = live.Select(l => Task.Run(() => LiveLoadAsync(l.Client)))
            .Concat(revoked.Select(cookies => Task.Run(() => HostileLoadAsync(cookies, "revoked"))))
            .Append(Task.Run(() => HostileLoadAsync(unknown, "unknown")))
            .ToList();

        await WaitUntilAsync(() => results.Count >= 40);
        await _azurite.StopAsync(graceful: true);
        await WaitUntilAsync(() => results.Count(r => r.Status == HttpStatusCode.ServiceUnavailable) >= 20);
        await _azurite.RestartAsync();
        Volatile.Write(ref restarted, true);
        // Note: hostile workers may still be inside the SDK's retries when live ones recover, so wait for both to be seen.
        await WaitUntilAsync(() => results.Count(r => r.AfterOutage && r.Kind == "live-validate" && r.Status == HttpStatusCode.OK) >= 10
            && results.Any(r => r.AfterOutage && r.Kind == "revoked-validate" && r.Status == HttpStatusCode.Unauthorized));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var answers = results.ToList();
        Assert.All(answers.Where(r => !r.Kind.StartsWith("live", StringComparison.Ordinal)), r =>
            Assert.True(r.Status is HttpStatusCode.Unauthorized or HttpStatusCode.ServiceUnavailable, $"{r.Kind}: {r.Status}"));
        Assert.All(answers.Where(r => r.Kind.StartsWith("live", StringComparison.Ordinal)), r =>
            Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{r.Kind}: {r.Status}"));
        Assert.Contains(answers, r => r.Kind == "revoked-validate" && r.Status == HttpStatusCode.ServiceUnavailable);
        Assert.Contains(answers, r => r.Kind == "unknown-refresh" && r.Status == HttpStatusCode.ServiceUnavailable);
        Assert.Contains(answers, r => r.AfterOutage && r.Kind == "revoked-validate" && r.Status == HttpStatusCode.Unauthorized);

        // Note: nothing acknowledged was lost or altered: the same users, byte for byte, and the same sessions.
        Assert.Equal(usersBefore, await SnapshotAsync(tables.Users));
        Assert.Equal(sessionKeysBefore, (await SnapshotAsync(tables.Sessions)).Keys.Order(StringComparer.Ordinal));
        var store = server.Services.GetRequiredService<ISessionStore>();
        foreach (var (client, username) in live)
        {
            using var validate = await client.GetAsync("/api/auth/validate");
            Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
            using var refresh = await client.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
            var body = await refresh.JsonAsync();
            var row = await store.FindAsync((string)body["userId"]!, (string)body["sessionId"]!, CancellationToken.None);
            Assert.Equal(SecureIds.Hash(client.Cookies[TokenDelivery.RefreshTokenCookie]), row!.RefreshTokenHash);
            Assert.Equal(username, row.Username);
            using var fresh = server.CreateClient();
            await LoginAsync(fresh, username);
            client.Dispose();
        }

        async Task LiveLoadAsync(ApiClient client)
        {
            while (!stop.IsCancellationRequested)
            {
                await RecordAsync("live-refresh", client.PostAsync("/api/auth/refresh"));
                await RecordAsync("live-validate", client.GetAsync("/api/auth/validate"));
            }
        }

        async Task HostileLoadAsync(Dictionary<string, string> cookies, string kind)
        {
            using var client = server.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                // Note: the jar is reset each time, since a failed refresh expires the cookies it was sent.
                foreach (var (name, value) in cookies)
                {
                    client.Cookies[name] = value;
                }

                await RecordAsync(kind + "-validate", client.GetAsync("/api/auth/validate"));
                await RecordAsync(kind + "-refresh", client.PostAsync("/api/auth/refresh"));
            }
        }

        async Task RecordAsync(string kind, Task<HttpResponseMessage> request)
        {
            using var response = await request;
            results.Enqueue((kind, Volatile.Read(ref restarted), response.StatusCode));
        }
    }

    [Fact]
    public async Task Case22_TransientServerBusy_IsRetriedByTheSdkPolicy_AndTheRequestSucceeds()
    {
        await using var server = await StartBehindProxyAsync();
        using var client = server.CreateClient();
        await SignInAsync(client, "busy-user");

        _proxy.Inject(StorageFault.ServiceUnavailable, count: 2);
        var before = server.StorageCalls;
        using var validate = await client.GetAsync("/api/auth/validate");

        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        Assert.Equal(2, _proxy.Injected);
        Assert.Equal(3, server.StorageCalls - before);
    }

    [Fact]
    public async Task Case22_PersistentServerBusy_IsRetriedThreeTimesOnly_ThenFailsClosedWith503()
    {
        await using var server = await StartBehindProxyAsync();
        using var client = server.CreateClient();
        await SignInAsync(client, "down-user");

        _proxy.Inject(StorageFault.ServiceUnavailable, count: 100);
        var before = server.StorageCalls;
        using var validate = await client.GetAsync("/api/auth/validate");
        var validateAttempts = server.StorageCalls - before;
        before = server.StorageCalls;
        using var refresh = await client.PostAsync("/api/auth/refresh");
        var refreshAttempts = server.StorageCalls - before;
        _proxy.Clear();

        await validate.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        await refresh.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.Equal(4, validateAttempts);
        Assert.Equal(4, refreshAttempts);
        Assert.Equal(8, _proxy.Injected);
        using var recovered = await client.PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Case22_ConnectionResetAndStalledRequests_AreRetried_AndTheRequestSucceeds()
    {
        await using var server = await StartBehindProxyAsync();
        using var client = server.CreateClient();
        await SignInAsync(client, "flaky-user");

        _proxy.Inject(StorageFault.ConnectionReset);
        var before = server.StorageCalls;
        using var afterReset = await client.GetAsync("/api/auth/validate");
        // Note: a reset of a pooled connection may be retried by .NET's HTTP stack itself, below the SDK policy.
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
        Assert.InRange(server.StorageCalls - before, 1, 2);

        _proxy.Inject(StorageFault.Stall);
        before = server.StorageCalls;
        using var afterStall = await client.GetAsync("/api/auth/validate");
        // Note: the stalled attempt ends at the SDK's 10 s network timeout; the policy's retry then succeeds.
        Assert.Equal(HttpStatusCode.OK, afterStall.StatusCode);
        Assert.Equal(2, server.StorageCalls - before);
        Assert.Equal(2, _proxy.Injected);
    }

    [Fact]
    public async Task Case22_RefreshWhoseWriteResponseIsLost_IsRetried_AndStillRotatesOnce()
    {
        await using var server = await StartBehindProxyAsync();
        using var client = server.CreateClient();
        var login = await SignInAsync(client, "lost-write-user");
        var spent = client.Cookies[TokenDelivery.RefreshTokenCookie];

        // Note: a rotation writes only the properties it changes, a Merge, which the SDK sends as PATCH.
        _proxy.Inject(StorageFault.ResponseLost, method: "PATCH");
        using var refresh = await client.PostAsync("/api/auth/refresh");

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal(1, _proxy.Injected);
        var row = await server.Services.GetRequiredService<ISessionStore>()
            .FindAsync((string)login["userId"]!, (string)login["sessionId"]!, CancellationToken.None);
        Assert.Equal(1, row!.Generation);
        Assert.Equal(SecureIds.Hash(client.Cookies[TokenDelivery.RefreshTokenCookie]), row.RefreshTokenHash);
        Assert.Equal(SecureIds.Hash(spent), row.SpentTokenHashes[0]);
        using var next = await client.PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Case22_LoginWhoseWriteResponseIsLost_IsRetried_AndStartsExactlyOneSession(int writesBefore)
    {
        await using var server = await StartBehindProxyAsync();
        using var client = server.CreateClient();
        await SignInAsync(client, "lost-insert-user");
        using var other = server.CreateClient();

        // Note: login writes the session row, then its expiry-index entry; either response may be the one lost.
        _proxy.Inject(StorageFault.None, count: writesBefore, method: "PUT");
        _proxy.Inject(StorageFault.ResponseLost, method: "PUT");
        using var login = await other.PostAsync("/api/auth/login", new { username = "lost-insert-user", password = Password });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(1, _proxy.Injected);
        using var validate = await other.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        using var sessions = await other.GetAsync("/api/auth/sessions");
        Assert.Equal(2, (await sessions.JsonAsync())["sessions"]!.AsArray().Count);
        // Note: the same table indexes throttle rows (partitions "l…") and one-time tokens ("t…"); sessions are "x…".
        var index = await SnapshotAsync(server.Services.GetRequiredService<TableClients>().SessionExpiry);
        Assert.Equal(2, index.Keys.Count(k => k.StartsWith('x')));
    }

    [Fact]
    public async Task Case22_RegistrationWhoseInsertResponseIsLost_IsRetried_AndCreatesTheAccount()
    {
        await using var server = await StartBehindProxyAsync();
        using var client = server.CreateClient();

        _proxy.Inject(StorageFault.ResponseLost, method: "POST");
        using var register = await client.PostAsync("/api/auth/register", new { username = "lost-register-user", password = Password });

        Assert.True(register.IsSuccessStatusCode, register.StatusCode.ToString());
        Assert.Equal(1, _proxy.Injected);
        await LoginAsync(client, "lost-register-user");
    }

    [Fact]
    public async Task Case22_PasswordChangeWhoseWriteResponseIsLost_ReportsTheChange_AndStillRevokesOtherSessions()
    {
        await using var server = await StartBehindProxyAsync();
        using var laptop = server.CreateClient();
        await SignInAsync(laptop, "lost-change-user");
        using var phone = server.CreateClient();
        await LoginAsync(phone, "lost-change-user");
        const string newPassword = "a brand new passphrase for 2026";

        _proxy.Inject(StorageFault.ResponseLost, method: "PUT");
        using var change = await laptop.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword });

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(1, _proxy.Injected);
        using var phoneValidate = await phone.GetAsync("/api/auth/validate");
        await phoneValidate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var laptopValidate = await laptop.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, laptopValidate.StatusCode);
        using var fresh = server.CreateClient();
        using var login = await fresh.PostAsync("/api/auth/login", new { username = "lost-change-user", password = newPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Case22_LogoutWhoseDeleteResponseIsLost_IsRetried_AndStillEndsTheSession()
    {
        await using var server = await StartBehindProxyAsync();
        using var client = server.CreateClient();
        await SignInAsync(client, "lost-delete-user");
        var held = new Dictionary<string, string>(client.Cookies);

        _proxy.Inject(StorageFault.ResponseLost, method: "DELETE");
        using var logout = await client.PostAsync("/api/auth/logout");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(1, _proxy.Injected);
        using var replay = server.CreateClient();
        foreach (var (name, value) in held)
        {
            replay.Cookies[name] = value;
        }

        using var validate = await replay.GetAsync("/api/auth/validate");
        await validate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    private Task<SelfHostServer> StartBehindProxyAsync() => SelfHostServer.StartAsync(_azurite, new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = _proxy.ConnectionString(_azurite),
    });

    private static async Task<System.Text.Json.Nodes.JsonObject> SignInAsync(ApiClient client, string username)
    {
        using var register = await client.PostAsync("/api/auth/register", new { username, password = Password });
        Assert.True(register.IsSuccessStatusCode, register.StatusCode.ToString());
        return await LoginAsync(client, username);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> LoginAsync(ApiClient client, string username)
    {
        using var login = await client.PostAsync("/api/auth/login", new { username, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return await login.JsonAsync();
    }

    /// <summary>Every entity of a table, keyed by partition and row, with all its properties as stored.</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(TableClient table)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            rows[entity.PartitionKey + "/" + entity.RowKey] = string.Join(';',
                ((IDictionary<string, object>)entity).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        }

        return rows;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The load did not reach the expected point within 90 s.");
            await Task.Delay(50);
        }
    }
}
