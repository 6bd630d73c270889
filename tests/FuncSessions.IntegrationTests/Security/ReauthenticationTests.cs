using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>Case 34 (recent authentication, ASVS 7.5.2): ending other sessions needs a login within the window.</summary>
public sealed class ReauthenticationTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Case34_RevokingAnotherSession_AndLogoutAll_NeedARecentLogin_OwnSessionAndLogoutDoNot()
    {
        var (laptop, username, _) = await SignedInClientAsync();
        using var phone = Server.CreateClient();
        var phoneLogin = await LoginAsync(phone, username);
        var phoneSession = (string?)phoneLogin["sessionId"];

        // Sixteen minutes on, the laptop's session is still live (it refreshes) but its login is no longer recent.
        Server.Time.Advance(TimeSpan.FromMinutes(16));
        (await laptop.PostAsync("/api/auth/refresh")).Dispose();
        using var revokeOther = await laptop.DeleteAsync($"/api/auth/sessions/{phoneSession}");
        using var logoutAll = await laptop.PostAsync("/api/auth/logout-all");
        using var phoneStillValid = await phone.PostAsync("/api/auth/refresh");

        await revokeOther.AssertProblemAsync(HttpStatusCode.Forbidden, "reauthentication_required");
        await logoutAll.AssertProblemAsync(HttpStatusCode.Forbidden, "reauthentication_required");
        Assert.Equal(HttpStatusCode.OK, phoneStillValid.StatusCode);

        // Logging in again (what the client does on reauthentication_required) makes the same requests work.
        var fresh = await LoginAsync(laptop, username);
        using var retried = await laptop.DeleteAsync($"/api/auth/sessions/{phoneSession}");
        using var phoneAfter = await phone.PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, phoneAfter.StatusCode);

        // The caller's own session and plain logout are never held back.
        Server.Time.Advance(TimeSpan.FromMinutes(16));
        (await laptop.PostAsync("/api/auth/refresh")).Dispose();
        using var revokeOwn = await laptop.DeleteAsync($"/api/auth/sessions/{(string?)fresh["sessionId"]}");
        Assert.Equal(HttpStatusCode.NoContent, revokeOwn.StatusCode);
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 5008);
    }

    [Fact]
    public async Task Case34_LogoutAll_WithinTheWindow_EndsEverySession()
    {
        var (laptop, username, _) = await SignedInClientAsync();
        using var phone = Server.CreateClient();
        await LoginAsync(phone, username);
        Server.Time.Advance(TimeSpan.FromMinutes(14));
        (await laptop.PostAsync("/api/auth/refresh")).Dispose();

        using var logoutAll = await laptop.PostAsync("/api/auth/logout-all");
        using var phoneAfter = await phone.PostAsync("/api/auth/refresh");

        Assert.Equal(HttpStatusCode.NoContent, logoutAll.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, phoneAfter.StatusCode);
    }

    [Fact]
    public async Task Case34_PlainLogout_IsAllowedLongAfterLogin()
    {
        var (laptop, _, _) = await SignedInClientAsync();
        Server.Time.Advance(TimeSpan.FromHours(2));
        (await laptop.PostAsync("/api/auth/refresh")).Dispose();

        using var logout = await laptop.PostAsync("/api/auth/logout");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
    }
}
