using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests;

/// <summary>Listing and revoking sessions, logout everywhere and password change.</summary>
public sealed class SessionManagementTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Sessions_ListsOnlyTheCallersSessions_WithTheCurrentOneMarked_AndNoSecrets()
    {
        var (laptop, username, laptopLogin) = await SignedInClientAsync();
        using var _ = laptop;
        using var phone = Server.CreateClient();
        await LoginAsync(phone, username);
        var (stranger, _, _) = await SignedInClientAsync();
        using var __ = stranger;

        using var response = await laptop.GetAsync("/api/auth/sessions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var sessions = (await response.JsonAsync())["sessions"]!.AsArray();
        Assert.Equal(2, sessions.Count);
        var current = Assert.Single(sessions, s => (bool)s!["current"]!);
        Assert.Equal((string?)laptopLogin["sessionId"], (string?)current!["id"]);
        Assert.All(sessions, s => Assert.Equal("127.0.0.1", (string?)s!["ipAddress"]));
        // Note: the presence hint ("1") is no secret; the token cookies are.
        foreach (var secret in laptop.Cookies.Concat(phone.Cookies).Where(c => c.Key != TokenDelivery.PresenceCookie).Select(c => c.Value))
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("hash", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("seal", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DeleteSession_RevokesAnotherOwnSession_AtOnce()
    {
        var (laptop, username, _) = await SignedInClientAsync();
        using var _ = laptop;
        using var phone = Server.CreateClient();
        var phoneLogin = await LoginAsync(phone, username);

        using var revoke = await laptop.DeleteAsync($"/api/auth/sessions/{(string?)phoneLogin["sessionId"]}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var phoneValidate = await phone.GetAsync("/api/auth/validate");
        await phoneValidate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var laptopValidate = await laptop.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, laptopValidate.StatusCode);
    }

    [Fact]
    public async Task DeleteSession_Returns404_ForAnotherUsersSessionOrAGarbageId()
    {
        var (attacker, _, _) = await SignedInClientAsync();
        using var _ = attacker;
        var (victim, _, victimLogin) = await SignedInClientAsync();
        using var __ = victim;

        using var foreign = await attacker.DeleteAsync($"/api/auth/sessions/{(string?)victimLogin["sessionId"]}");
        using var garbage = await attacker.DeleteAsync("/api/auth/sessions/..%2F..%2Fetc");
        using var anonymous = await Server.CreateClient().DeleteAsync($"/api/auth/sessions/{(string?)victimLogin["sessionId"]}");

        await foreign.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
        await garbage.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var victimValidate = await victim.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, victimValidate.StatusCode);
    }

    [Fact]
    public async Task LogoutAll_EndsEverySessionOfTheUser_AndNoOtherUsers()
    {
        var (laptop, username, _) = await SignedInClientAsync();
        using var _ = laptop;
        using var phone = Server.CreateClient();
        await LoginAsync(phone, username);
        var (stranger, _, _) = await SignedInClientAsync();
        using var __ = stranger;

        using var response = await phone.PostAsync("/api/auth/logout-all");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var client in new[] { laptop, phone })
        {
            using var validate = await client.GetAsync("/api/auth/validate");
            Assert.Equal(HttpStatusCode.Unauthorized, validate.StatusCode);
        }

        using var laptopRefresh = await laptop.PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.Unauthorized, laptopRefresh.StatusCode);
        using var strangerValidate = await stranger.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, strangerValidate.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_ReissuesTheCurrentSession_AndRevokesAllOthers()
    {
        var (laptop, username, laptopLogin) = await SignedInClientAsync();
        using var _ = laptop;
        using var phone = Server.CreateClient();
        await LoginAsync(phone, username);
        var oldLaptopAccess = laptop.Cookies[TokenDelivery.AccessTokenCookie];
        const string newPassword = "a brand new passphrase for 2026";

        using var response = await laptop.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.NotEqual((string?)laptopLogin["sessionId"], (string?)body["sessionId"]);
        using var laptopValidate = await laptop.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, laptopValidate.StatusCode);
        using var phoneValidate = await phone.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.Unauthorized, phoneValidate.StatusCode);
        using var oldSession = Server.CreateClient();
        oldSession.Cookies[TokenDelivery.AccessTokenCookie] = oldLaptopAccess;
        using var oldValidate = await oldSession.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.Unauthorized, oldValidate.StatusCode);

        using var fresh = Server.CreateClient();
        using var oldPasswordLogin = await fresh.PostAsync("/api/auth/login", new { username, password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, oldPasswordLogin.StatusCode);
        await LoginAsync(fresh, username, newPassword);
    }

    [Fact]
    public async Task ChangePassword_RefusesAWrongCurrentPasswordOrAShortNewOne_AndChangesNothing()
    {
        var (client, username, _) = await SignedInClientAsync();
        using var _ = client;

        using var wrongCurrent = await client.PostAsync("/api/auth/password", new { currentPassword = "not the password at all", newPassword = "another long passphrase" });
        using var tooShort = await client.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = "short" });

        await wrongCurrent.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await tooShort.AssertProblemAsync(HttpStatusCode.BadRequest, "password_too_short");
        using var validate = await client.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        using var fresh = Server.CreateClient();
        await LoginAsync(fresh, username);
    }
}
