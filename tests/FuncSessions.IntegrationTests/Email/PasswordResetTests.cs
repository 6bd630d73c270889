using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Email;

/// <summary>Issue 15 over real HTTP, a real SMTP server and Azurite tables and queues: each test reads the actual mail.</summary>
public sealed class PasswordResetTests(AzuriteFixture fixture) : EmailTest(fixture)
{
    [Fact]
    public async Task Reset_FromTheMailedLink_SetsThePassword_RevokesEverySession_AndSendsANotice()
    {
        using var client = Server.CreateClient();
        var email = await RegisterVerifiedAsync(client);
        var first = await LoginByEmailAsync(client, email);
        using var other = Server.CreateClient();
        await LoginByEmailAsync(other, email);

        using (var request = await client.PostAsync("/api/auth/password/reset/request", new { email = email.ToUpperInvariant() }))
        {
            Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        }

        var token = await LinkTokenAsync(email, "reset-password");
        using (var reset = await client.PostAsync("/api/auth/password/reset", new { token, newPassword = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        // Every session of the user is gone (ASVS 7.4.3; closes case 33's "reset -> revoke all").
        using (var validate = await other.GetAsync("/api/auth/validate"))
        {
            await validate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        }

        using (var old = await client.PostAsync("/api/auth/login", new { email, password = Password }))
        {
            await old.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var session = await LoginByEmailAsync(client, email, NewPassword);
        Assert.NotEqual((string?)first["sessionId"], (string?)session["sessionId"]);
        Assert.Equal(email[..email.IndexOf('@')] + "@example.test", (string?)session["email"]);
        Assert.True((bool?)session["emailVerified"]);
        var notice = await Smtp.WaitForMailAsync(email, m => m.Subject.Contains("password was changed", StringComparison.Ordinal));
        Assert.Contains("FuncSessions", notice.Subject, StringComparison.Ordinal);
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Name == "PasswordReset");
    }

    [Fact]
    public async Task ResetToken_IsSingleUse_SupersededByANewerOne_DeadAfterExpiry_AndAfterAPasswordChange()
    {
        using var client = Server.CreateClient();
        var email = await RegisterVerifiedAsync(client);

        // Single use.
        (await client.PostAsync("/api/auth/password/reset/request", new { email })).Dispose();
        var token = await LinkTokenAsync(email, "reset-password");
        using (var reset = await client.PostAsync("/api/auth/password/reset", new { token, newPassword = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        using (var again = await client.PostAsync("/api/auth/password/reset", new { token, newPassword = "yet another long passphrase" }))
        {
            await again.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_link");
        }

        // A newer link supersedes the older one.
        (await client.PostAsync("/api/auth/password/reset/request", new { email })).Dispose();
        var older = await LinkTokenAsync(email, "reset-password", m => !m.Text.Contains(token, StringComparison.Ordinal));
        (await client.PostAsync("/api/auth/password/reset/request", new { email })).Dispose();
        var newer = await LinkTokenAsync(email, "reset-password", m => !m.Text.Contains(older, StringComparison.Ordinal) && !m.Text.Contains(token, StringComparison.Ordinal));
        using (var superseded = await client.PostAsync("/api/auth/password/reset", new { token = older, newPassword = "yet another long passphrase" }))
        {
            await superseded.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_link");
        }

        // A weak password is refused without using the link up.
        using (var weak = await client.PostAsync("/api/auth/password/reset", new { token = newer, newPassword = "short" }))
        {
            await weak.AssertProblemAsync(HttpStatusCode.BadRequest, "password_too_short");
        }

        // Expired: the 30-minute lifetime has passed.
        Server.Time.Advance(TimeSpan.FromMinutes(31));
        using (var expired = await client.PostAsync("/api/auth/password/reset", new { token = newer, newPassword = "yet another long passphrase" }))
        {
            await expired.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_link");
        }

        // A password change kills a live reset link.
        (await client.PostAsync("/api/auth/password/reset/request", new { email })).Dispose();
        var live = await LinkTokenAsync(email, "reset-password", m => !m.Text.Contains(newer, StringComparison.Ordinal) && !m.Text.Contains(older, StringComparison.Ordinal) && !m.Text.Contains(token, StringComparison.Ordinal));
        await LoginByEmailAsync(client, email, NewPassword);
        using (var change = await client.PostAsync("/api/auth/password", new { currentPassword = NewPassword, newPassword = "the third long passphrase" }))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        }

        using (var dead = await client.PostAsync("/api/auth/password/reset", new { token = live, newPassword = "yet another long passphrase" }))
        {
            await dead.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_link");
        }
    }

    [Fact]
    public async Task ParallelResets_WithOneToken_SucceedOnce()
    {
        using var client = Server.CreateClient();
        var email = await RegisterVerifiedAsync(client);
        (await client.PostAsync("/api/auth/password/reset/request", new { email })).Dispose();
        var token = await LinkTokenAsync(email, "reset-password");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var c = Server.CreateClient();
            using var response = await c.PostAsync("/api/auth/password/reset", new { token, newPassword = $"parallel passphrase number {i}" });
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.NoContent));
        Assert.All(statuses.Where(s => s != HttpStatusCode.NoContent), s => Assert.Equal(HttpStatusCode.BadRequest, s));
    }

    [Fact]
    public async Task UnverifiedAddress_CannotLogIn_AfterTheRightPasswordOnly_AndVerificationCanBeResent()
    {
        using var client = Server.CreateClient();
        var email = NewEmail();
        (await client.PostAsync("/api/auth/register", new { email, password = Password })).Dispose();
        var first = await LinkTokenAsync(email, "verify-email");

        using (var wrong = await client.PostAsync("/api/auth/login", new { email, password = "not the right passphrase" }))
        {
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using (var right = await client.PostAsync("/api/auth/login", new { email, password = Password }))
        {
            await right.AssertProblemAsync(HttpStatusCode.Forbidden, "email_not_verified");
        }

        using (var resend = await client.PostAsync("/api/auth/email/verify/request", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }

        var second = await LinkTokenAsync(email, "verify-email", m => !m.Text.Contains(first, StringComparison.Ordinal));
        using (var stale = await client.PostAsync("/api/auth/email/verify", new { token = first }))
        {
            await stale.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_link");
        }

        using (var verify = await client.PostAsync("/api/auth/email/verify", new { token = second }))
        {
            Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        }

        await LoginByEmailAsync(client, email);
    }

    [Fact]
    public async Task EmailChange_NeedsTheLinkSentToTheNewAddress_AndNotifiesTheOldOne()
    {
        using var client = Server.CreateClient();
        var email = await RegisterVerifiedAsync(client);
        await LoginByEmailAsync(client, email);
        var newEmail = NewEmail();

        using (var change = await client.PostAsync("/api/auth/email/change", new { newEmail }))
        {
            Assert.Equal(HttpStatusCode.Accepted, change.StatusCode);
        }

        var notice = await Smtp.WaitForMailAsync(email, m => m.Subject.Contains("being changed", StringComparison.Ordinal));
        Assert.Contains(newEmail[..newEmail.IndexOf('@')], notice.Text, StringComparison.Ordinal);
        // Nothing changed yet: the old address still logs in.
        await LoginByEmailAsync(client, email);

        var token = await LinkTokenAsync(newEmail, "confirm-email-change");
        using (var confirm = await client.PostAsync("/api/auth/email/change/confirm", new { token }))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        }

        using (var old = await client.PostAsync("/api/auth/login", new { email, password = Password }))
        {
            await old.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var session = await LoginByEmailAsync(client, newEmail);
        Assert.True((bool?)session["emailVerified"]);

        // The freed address can be registered again.
        using var someoneElse = Server.CreateClient();
        await RegisterVerifiedAsync(someoneElse, email);
    }

    [Fact]
    public async Task EmailChange_AfterTheReauthenticationWindow_NeedsALogin()
    {
        using var client = Server.CreateClient();
        var email = await RegisterVerifiedAsync(client);
        await LoginByEmailAsync(client, email);
        Server.Time.Advance(TimeSpan.FromMinutes(16));
        (await client.PostAsync("/api/auth/refresh")).Dispose();

        using var change = await client.PostAsync("/api/auth/email/change", new { newEmail = NewEmail() });
        await change.AssertProblemAsync(HttpStatusCode.Forbidden, "reauthentication_required");
    }

    [Fact]
    public async Task ResetRequest_ForAnUnknownAddress_Is202_AndSendsNothing_ButAKnownOneGetsItsMail()
    {
        using var client = Server.CreateClient();
        var known = await RegisterVerifiedAsync(client);
        var unknown = NewEmail();

        using var forUnknown = await client.PostAsync("/api/auth/password/reset/request", new { email = unknown });
        using var forKnown = await client.PostAsync("/api/auth/password/reset/request", new { email = known });

        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(await forKnown.Content.ReadAsStringAsync(), await forUnknown.Content.ReadAsStringAsync());
        await LinkTokenAsync(known, "reset-password");
        Assert.DoesNotContain(Smtp.Mails(), m => m.To.Contains(unknown, StringComparer.OrdinalIgnoreCase));
    }
}
