using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>Cases 31, 32, 33, 35 and 38: session fixation, logout, password change, sign-out everywhere, cookies.</summary>
public sealed class SessionCases(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Case31_LoginIgnoresAPlantedSessionCookie_AndAlwaysIssuesAFreshSession()
    {
        var (attacker, attackerName, attackerLogin) = await SignedInClientAsync();
        using var _ = attacker;
        using var victim = Server.CreateClient();
        var victimName = await RegisterAsync(victim);
        var plantedAccess = attacker.Cookies[TokenDelivery.AccessTokenCookie];
        var plantedRefresh = attacker.Cookies[TokenDelivery.RefreshTokenCookie];
        victim.Cookies[TokenDelivery.AccessTokenCookie] = plantedAccess;
        victim.Cookies[TokenDelivery.RefreshTokenCookie] = plantedRefresh;

        var victimLogin = await LoginAsync(victim, victimName);

        Assert.NotEqual((string?)attackerLogin["sessionId"], (string?)victimLogin["sessionId"]);
        Assert.NotEqual(plantedAccess, victim.Cookies[TokenDelivery.AccessTokenCookie]);
        Assert.NotEqual(plantedRefresh, victim.Cookies[TokenDelivery.RefreshTokenCookie]);
        Assert.DoesNotContain((string)attackerLogin["sessionId"]!, victim.Cookies[TokenDelivery.RefreshTokenCookie], StringComparison.Ordinal);
        // Note: what the attacker still holds is his own session, never the victim's.
        using var attackerView = await attacker.GetAsync("/api/auth/validate");
        Assert.Equal(attackerName, (string?)(await attackerView.JsonAsync())["username"]);
        using var victimSessions = await victim.GetAsync("/api/auth/sessions");
        var ids = (await victimSessions.JsonAsync())["sessions"]!.AsArray().Select(s => (string?)s!["id"]).ToList();
        Assert.Equal([(string?)victimLogin["sessionId"]], ids);

        // Note: an id the attacker made up is not adopted either.
        using var second = Server.CreateClient();
        var chosen = SecureIds.NewId();
        second.Cookies[TokenDelivery.RefreshTokenCookie] = RefreshToken.Create((string)victimLogin["userId"]!, chosen).Value;
        var secondLogin = await LoginAsync(second, victimName);
        Assert.NotEqual(chosen, (string?)secondLogin["sessionId"]);
    }

    [Fact]
    public async Task Case32_Logout_DeletesTheRow_ExpiresCookies_SendsClearSiteData_AndReplayIs401()
    {
        var (client, _, login) = await SignedInClientAsync();
        using var _ = client;
        var accessToken = client.Cookies[TokenDelivery.AccessTokenCookie];
        var refreshToken = client.Cookies[TokenDelivery.RefreshTokenCookie];

        using var logout = await client.PostAsync("/api/auth/logout");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal("\"cache\", \"cookies\", \"storage\"", logout.Headers.GetValues("Clear-Site-Data").Single());
        Assert.Equal(
            [TokenDelivery.AccessTokenCookie, TokenDelivery.PresenceCookie, TokenDelivery.RefreshTokenCookie],
            client.LastSetCookies.Where(c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal)).Select(c => c.Split('=')[0]).Order(StringComparer.Ordinal));
        Assert.Empty(client.Cookies);
        Assert.Null(await Server.Services.GetRequiredService<ISessionStore>().FindAsync((string)login["userId"]!, (string)login["sessionId"]!, CancellationToken.None));

        using var replay = Server.CreateClient();
        replay.Cookies[TokenDelivery.AccessTokenCookie] = accessToken;
        replay.Cookies[TokenDelivery.RefreshTokenCookie] = refreshToken;
        using var validate = await replay.GetAsync("/api/auth/validate");
        await validate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var refresh = await replay.PostAsync("/api/auth/refresh");
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        using var sessions = await replay.GetAsync("/api/auth/sessions");
        await sessions.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Case33_PasswordChange_ReissuesTheCurrentSession_AndRevokesEveryOther()
    {
        var (laptop, username, laptopLogin) = await SignedInClientAsync();
        using var _ = laptop;
        using var phone = Server.CreateClient();
        await LoginAsync(phone, username);
        var oldLaptopAccess = laptop.Cookies[TokenDelivery.AccessTokenCookie];
        var oldLaptopRefresh = laptop.Cookies[TokenDelivery.RefreshTokenCookie];
        const string newPassword = "a brand new passphrase for 2026";

        using var change = await laptop.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword });

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal("no-store", change.Headers.CacheControl?.ToString());
        Assert.NotEqual((string?)laptopLogin["sessionId"], (string?)(await change.JsonAsync())["sessionId"]);
        using var laptopValidate = await laptop.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, laptopValidate.StatusCode);
        using var sessions = await laptop.GetAsync("/api/auth/sessions");
        Assert.Single((await sessions.JsonAsync())["sessions"]!.AsArray());
        using var phoneValidate = await phone.GetAsync("/api/auth/validate");
        await phoneValidate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var phoneRefresh = await phone.PostAsync("/api/auth/refresh");
        await phoneRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");

        using var oldSession = Server.CreateClient();
        oldSession.Cookies[TokenDelivery.AccessTokenCookie] = oldLaptopAccess;
        oldSession.Cookies[TokenDelivery.RefreshTokenCookie] = oldLaptopRefresh;
        using var oldValidate = await oldSession.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.Unauthorized, oldValidate.StatusCode);
        using var oldRefresh = await oldSession.PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.Unauthorized, oldRefresh.StatusCode);

        using var fresh = Server.CreateClient();
        using var oldPassword = await fresh.PostAsync("/api/auth/login", new { username, password = Password });
        await oldPassword.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await LoginAsync(fresh, username, newPassword);
    }

    [Fact]
    public async Task Case35_SignOutEverywhere_EverySessionOfTheUserIs401OnValidateAndRefresh_OthersUntouched()
    {
        var (laptop, username, _) = await SignedInClientAsync();
        using var _ = laptop;
        var held = new List<Dictionary<string, string>> { new(laptop.Cookies) };
        for (var i = 0; i < 3; i++)
        {
            using var device = Server.CreateClient();
            await LoginAsync(device, username);
            held.Add(new Dictionary<string, string>(device.Cookies));
        }

        var (stranger, _, _) = await SignedInClientAsync();
        using var __ = stranger;

        using var logoutAll = await laptop.PostAsync("/api/auth/logout-all");

        Assert.Equal(HttpStatusCode.NoContent, logoutAll.StatusCode);
        Assert.Empty(laptop.Cookies);
        foreach (var cookies in held)
        {
            using var device = Server.CreateClient();
            foreach (var (name, value) in cookies)
            {
                device.Cookies[name] = value;
            }

            using var validate = await device.GetAsync("/api/auth/validate");
            await validate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
            using var refresh = await device.PostAsync("/api/auth/refresh");
            await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        }

        using var strangerValidate = await stranger.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, strangerValidate.StatusCode);
    }

    [Fact]
    public async Task Case38_SetCookie_HostPrefixSecureHttpOnlyPathRootNoDomainExplicitSameSite_Under4096Bytes()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;
        var loginCookies = client.LastSetCookies.ToList();
        using (var refresh = await client.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        var refreshCookies = client.LastSetCookies.ToList();

        foreach (var cookies in new[] { loginCookies, refreshCookies })
        {
            Assert.Equal(
                [TokenDelivery.AccessTokenCookie, TokenDelivery.PresenceCookie, TokenDelivery.RefreshTokenCookie],
                cookies.Select(c => c.Split('=')[0]).Order(StringComparer.Ordinal));
            foreach (var cookie in cookies)
            {
                Assert.StartsWith("__Host-", cookie, StringComparison.Ordinal);
                var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
                Assert.Contains("secure", attributes);
                // Note: the presence hint (no secret) is the one cookie script may read.
                Assert.Equal(!cookie.StartsWith(TokenDelivery.PresenceCookie + "=", StringComparison.Ordinal), attributes.Contains("httponly"));
                Assert.Contains("path=/", attributes);
                Assert.Contains("samesite=lax", attributes);
                Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
                Assert.True(System.Text.Encoding.UTF8.GetByteCount(cookie) < 4096, $"{cookie.Length} bytes");
            }
        }
    }
}
