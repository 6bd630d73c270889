using System.Net;
using Azure.Data.Tables;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;
using FuncSessions.Storage;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>Cases 14 and 16–21: refresh-token rotation, reuse detection and session lifetimes over HTTP.</summary>
public sealed class RefreshCases(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Case14_RefreshTokenUsedOnce_GivesNewTokens_NoStore_AndMarksTheOldOneSpent()
    {
        var (client, _, login) = await SignedInClientAsync();
        using var _ = client;
        var oldRefresh = client.Cookies[TokenDelivery.RefreshTokenCookie];
        var oldAccess = client.Cookies[TokenDelivery.AccessTokenCookie];

        Server.Time.Advance(TimeSpan.FromMinutes(9));
        using var refresh = await client.PostAsync("/api/auth/refresh");

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal("no-store", refresh.Headers.CacheControl?.ToString());
        var newRefresh = client.Cookies[TokenDelivery.RefreshTokenCookie];
        Assert.NotEqual(oldRefresh, newRefresh);
        Assert.NotEqual(oldAccess, client.Cookies[TokenDelivery.AccessTokenCookie]);
        Assert.Equal((string?)login["sessionId"], (string?)(await refresh.JsonAsync())["sessionId"]);
        var row = await RowAsync(login);
        Assert.Equal(SecureIds.Hash(newRefresh), row!.RefreshTokenHash);
        Assert.Equal(SecureIds.Hash(oldRefresh), row.SpentTokenHashes[0]);
        Assert.Equal(1, row.Generation);
        using var validate = await client.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        // Note: a successful refresh restarts the idle timer.
        Assert.Equal(Server.Time.GetUtcNow().AddDays(7), (DateTimeOffset)(await validate.JsonAsync())["expiresAt"]!);
    }

    [Fact]
    public async Task Case16_RotatedTokenReplayedAfterTheGraceWindow_RevokesTheWholeSession_SuccessorFailsToo()
    {
        var (victim, _, login) = await SignedInClientAsync();
        using var _ = victim;
        var stolen = victim.Cookies[TokenDelivery.RefreshTokenCookie];
        using (var rotate = await victim.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        }

        Server.Time.Advance(TimeSpan.FromSeconds(11));
        using var attacker = Server.CreateClient();
        attacker.Cookies[TokenDelivery.RefreshTokenCookie] = stolen;
        using var replay = await attacker.PostAsync("/api/auth/refresh");

        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        Assert.Null(await RowAsync(login));
        using var successorValidate = await victim.GetAsync("/api/auth/validate");
        await successorValidate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var successorRefresh = await victim.PostAsync("/api/auth/refresh");
        await successorRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task Case17_GrandparentReplayedInsideTheGraceWindow_IsReuse_AndRevokesTheSession()
    {
        var (client, _, login) = await SignedInClientAsync();
        using var _ = client;
        var grandparent = client.Cookies[TokenDelivery.RefreshTokenCookie];
        for (var i = 0; i < 2; i++)
        {
            using var rotate = await client.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        }

        Server.Time.Advance(TimeSpan.FromSeconds(1));
        using var replayer = Server.CreateClient();
        replayer.Cookies[TokenDelivery.RefreshTokenCookie] = grandparent;
        using var replay = await replayer.PostAsync("/api/auth/refresh");

        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        Assert.Null(await RowAsync(login));
        using var current = await client.PostAsync("/api/auth/refresh");
        await current.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task Case18_RefreshAfterTheAbsoluteLifetime_Returns401_ThoughTheRowExists_AndAbsoluteExpiryNeverSlides()
    {
        var (client, _, login) = await SignedInClientAsync();
        using var _ = client;
        var absolute = (DateTimeOffset)login["absoluteExpiresAt"]!;
        Assert.Equal(Server.Time.GetUtcNow().AddDays(30), absolute);

        foreach (var days in new[] { 6, 6, 6, 6, 5 })
        {
            Server.Time.Advance(TimeSpan.FromDays(days));
            using var refresh = await client.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
            Assert.Equal(absolute, (DateTimeOffset)(await refresh.JsonAsync())["absoluteExpiresAt"]!);
        }

        Server.Time.Advance(absolute - Server.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        using var expired = await client.PostAsync("/api/auth/refresh");

        await expired.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
        Assert.NotNull(await RowAsync(login));
    }

    [Fact]
    public async Task Case19_RefreshAfterTheIdleTimeout_Returns401_AndARefreshResetsOnlyTheIdleTimer()
    {
        var (client, _, login) = await SignedInClientAsync();
        using var _ = client;
        var absolute = (DateTimeOffset)login["absoluteExpiresAt"]!;

        Server.Time.Advance(TimeSpan.FromDays(6));
        using (var refresh = await client.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
            var body = await refresh.JsonAsync();
            Assert.Equal(Server.Time.GetUtcNow().AddDays(7), (DateTimeOffset)body["expiresAt"]!);
            Assert.Equal(absolute, (DateTimeOffset)body["absoluteExpiresAt"]!);
        }

        Server.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        using var idle = await client.PostAsync("/api/auth/refresh");

        await idle.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
        Assert.NotNull(await RowAsync(login));
    }

    [Fact]
    public async Task Case20_RefreshTokenOfUserACombinedWithTheSessionOfUserB_Returns401_AndLeavesBAlone()
    {
        var (alice, _, aliceLogin) = await SignedInClientAsync();
        using var _ = alice;
        var (bob, _, bobLogin) = await SignedInClientAsync();
        using var __ = bob;
        var aliceSecret = alice.Cookies[TokenDelivery.RefreshTokenCookie].Split('.')[2];
        var composites = new[]
        {
            $"{(string)aliceLogin["userId"]!}.{(string)bobLogin["sessionId"]!}.{aliceSecret}",
            $"{(string)bobLogin["userId"]!}.{(string)bobLogin["sessionId"]!}.{aliceSecret}",
            $"{(string)bobLogin["userId"]!}.{(string)aliceLogin["sessionId"]!}.{aliceSecret}",
        };

        foreach (var composite in composites)
        {
            using var mallory = Server.CreateClient();
            mallory.Cookies[TokenDelivery.RefreshTokenCookie] = composite;
            var before = Server.StorageCalls;
            using var refresh = await mallory.PostAsync("/api/auth/refresh");
            await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
            // Note: one point read in the named partition, plus the client address's failure strike (read and write)
            // and, for the strike that opens the address's row, its expiry-index entry (the throttle sweep).
            Assert.InRange(Server.StorageCalls - before, 1, 4);
        }

        Assert.Equal(0, (await RowAsync(bobLogin))!.Generation);
        Assert.Equal(0, (await RowAsync(aliceLogin))!.Generation);
        foreach (var client in new[] { alice, bob })
        {
            using var refresh = await client.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }
    }

    [Fact]
    public async Task Case21_StoreDumpHoldsOnlyHashes_AndReplayingAnyStoredValueReturns401()
    {
        var (client, username, login) = await SignedInClientAsync();
        using var _ = client;
        using (var rotate = await client.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        }

        var refreshToken = client.Cookies[TokenDelivery.RefreshTokenCookie];
        var accessToken = client.Cookies[TokenDelivery.AccessTokenCookie];
        var tables = Server.Services.GetRequiredService<TableClients>();
        var stored = new List<string>();
        foreach (var table in new[] { tables.Users, tables.Sessions, tables.SessionExpiry })
        {
            await foreach (var entity in table.QueryAsync<TableEntity>())
            {
                stored.AddRange(((IDictionary<string, object>)entity).Values.OfType<string>());
            }
        }

        var dump = string.Join('\n', stored);
        foreach (var secret in new[] { refreshToken, refreshToken.Split('.')[2], accessToken, accessToken.Split('.')[2], Password })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }

        Assert.Contains(SecureIds.Hash(refreshToken), stored);
        Assert.Contains(stored, value => value.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", StringComparison.Ordinal));

        var userId = (string)login["userId"]!;
        var sessionId = (string)login["sessionId"]!;
        var candidates = stored.Where(v => v.Length > 0)
            .SelectMany(v => new[] { v, $"{userId}.{sessionId}.{v}", $"{userId}.{sessionId}.{v.Split('$').Last()}" })
            .Distinct()
            .ToList();
        foreach (var candidate in candidates)
        {
            using var thief = Server.CreateClient();
            thief.Cookies[TokenDelivery.RefreshTokenCookie] = candidate;
            thief.Cookies[TokenDelivery.AccessTokenCookie] = candidate;
            using var validate = await thief.GetAsync("/api/auth/validate");
            Assert.Equal(HttpStatusCode.Unauthorized, validate.StatusCode);
            using var refresh = await thief.PostAsync("/api/auth/refresh");
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        }

        // Note: the stored password hash, its salt and its digest do not log anyone in either (few tries, so that
        // account lockout does not answer in the password's place).
        var storedHash = stored.Single(value => value.StartsWith("$argon2id$", StringComparison.Ordinal));
        foreach (var candidate in new[] { storedHash, storedHash.Split('$')[^2], storedHash.Split('$')[^1] })
        {
            using var thief = Server.CreateClient();
            using var login2 = await thief.PostAsync("/api/auth/login", new { username, password = candidate });
            await login2.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        // Note: none of those attempts was mistaken for reuse of a spent token: the session is still alive.
        using var stillLive = await client.PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.OK, stillLive.StatusCode);
    }

    private Task<Session?> RowAsync(System.Text.Json.Nodes.JsonObject login) =>
        Server.Services.GetRequiredService<ISessionStore>().FindAsync((string)login["userId"]!, (string)login["sessionId"]!, CancellationToken.None);
}
