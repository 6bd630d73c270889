using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.SecondFactors;

/// <summary>Recovery codes, turning TOTP off, and step-up that must include the second factor once it is on.</summary>
public sealed class RecoveryAndStepUpTests(AzuriteFixture fixture) : TotpTestBase(fixture)
{
    [Fact]
    public async Task RecoveryCode_CompletesALoginOnce_AndEndsEveryOtherSession()
    {
        var user = await EnrolAsync();
        var laptop = await PasswordStepAsync(user.Username);
        var (status, session) = await SendCodeAsync(laptop, new { recoveryCode = user.RecoveryCodes[3].ToUpperInvariant() });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["pwd", "mfa"], session["amr"]!.AsArray().Select(a => (string)a!));

        // The session the codes were set up in has ended; the new one lives.
        using (var old = await user.Client.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        using (var status2 = await laptop.GetAsync("/api/auth/second-factor"))
        {
            var body = await status2.JsonAsync();
            Assert.True((bool)body["totp"]!);
            Assert.Equal(9, (int)body["recoveryCodesLeft"]!);
        }

        var phone = await PasswordStepAsync(user.Username);
        Assert.Equal("invalid_code", (string?)(await SendCodeAsync(phone, new { recoveryCode = user.RecoveryCodes[3] })).Body["code"]);
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(phone, new { recoveryCode = user.RecoveryCodes[4] })).Status);
    }

    [Fact]
    public async Task RegeneratedRecoveryCodes_ReplaceEveryEarlierCode()
    {
        var user = await EnrolAsync();
        var laptop = await PasswordStepAsync(user.Username);
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(laptop, new { code = user.App.CodeAt(Server.Time.GetUtcNow()) })).Status);
        using var regenerate = await laptop.PostAsync("/api/auth/second-factor/recovery-codes");
        var fresh = (await regenerate.JsonAsync())["recoveryCodes"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(user.RecoveryCodes));

        var phone = await PasswordStepAsync(user.Username);
        Assert.Equal("invalid_code", (string?)(await SendCodeAsync(phone, new { recoveryCode = user.RecoveryCodes[0] })).Body["code"]);
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(phone, new { recoveryCode = fresh[0] })).Status);
    }

    [Fact]
    public async Task StepUp_WithTotpOn_APasswordOnlySessionMayNotEndOtherSessionsChangeThePasswordOrFactors()
    {
        // The session the user enrolled in began with the password only.
        var user = await EnrolAsync();
        using var logoutAll = await user.Client.PostAsync("/api/auth/logout-all");
        using var disable = await user.Client.DeleteAsync("/api/auth/second-factor/totp");
        using var regenerate = await user.Client.PostAsync("/api/auth/second-factor/recovery-codes");
        using var password = await user.Client.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = "another long passphrase here" });
        await logoutAll.AssertProblemAsync(HttpStatusCode.Forbidden, "reauthentication_required");
        await disable.AssertProblemAsync(HttpStatusCode.Forbidden, "reauthentication_required");
        await regenerate.AssertProblemAsync(HttpStatusCode.Forbidden, "reauthentication_required");
        await password.AssertProblemAsync(HttpStatusCode.Forbidden, "reauthentication_required");

        // Signed in with the code, the same requests are allowed; the password change keeps amr and the factor.
        var laptop = await PasswordStepAsync(user.Username);
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(laptop, new { code = user.App.CodeAt(Server.Time.GetUtcNow()) })).Status);
        using var changed = await laptop.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = "another long passphrase here" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("mfa", (await changed.JsonAsync())["amr"]!.AsArray().Select(a => (string)a!));
        using var allowed = await laptop.PostAsync("/api/auth/logout-all");
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
    }

    [Fact]
    public async Task DisablingTotp_EndsEveryOtherSession_KeepsThisOne_AndThePasswordAloneSignsInAgain()
    {
        var user = await EnrolAsync();
        var laptop = await PasswordStepAsync(user.Username);
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(laptop, new { code = user.App.CodeAt(Server.Time.GetUtcNow()) })).Status);

        using var disable = await laptop.DeleteAsync("/api/auth/second-factor/totp");
        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        using (var other = await user.Client.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        }

        using (var current = await laptop.PostAsync("/api/auth/refresh"))
        {
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        }

        using var again = Server.CreateClient();
        await LoginAsync(again, user.Username);
        using var status = await again.GetAsync("/api/auth/second-factor");
        Assert.False((bool)(await status.JsonAsync())["totp"]!);
    }

    [Fact]
    public async Task Factors_WithoutTheEncryptionKey_AreOff_AndPasswordLoginIsUnchanged()
    {
        await using var plain = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?> { ["FuncSessions:Factors:EncryptionKey"] = "" });
        using var client = plain.CreateClient();
        var username = NewUsername();
        (await client.PostAsync("/api/auth/register", new { username, password = Password })).Dispose();
        (await client.PostAsync("/api/auth/login", new { username, password = Password })).Dispose();
        using var begin = await client.PostAsync("/api/auth/second-factor/totp");
        await begin.AssertProblemAsync(HttpStatusCode.Forbidden, "factors_not_configured");
    }
}
