using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.SecondFactors;

/// <summary>TOTP (RFC 6238) as a second factor of password login: enrolment, the code step, window, replay, throttle.</summary>
public sealed class TotpTests(AzuriteFixture fixture) : TotpTestBase(fixture)
{
    [Fact]
    public async Task Totp_EnrolmentCompletesOnlyWithACorrectCode_ThenLoginNeedsTheCode_AndGetsAmrOtp()
    {
        var (client, username, _) = await SignedInClientAsync();
        using var begin = await client.PostAsync("/api/auth/second-factor/totp");
        var setup = await begin.JsonAsync();
        var secret = (string)setup["secret"]!;
        Assert.Equal(32, secret.Length); // 160 bits in base32
        Assert.StartsWith("otpauth://totp/", (string)setup["otpAuthUri"]!);
        Assert.Contains("secret=" + secret, (string)setup["otpAuthUri"]!);
        Assert.StartsWith("data:image/png;base64,", (string)setup["qrCode"]!);

        // A wrong code does not turn it on, and until a right one the password alone still signs in.
        var app = new TestTotp(secret);
        using var wrong = await client.PostAsync("/api/auth/second-factor/totp/confirm", new { code = WrongCode(app) });
        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_code");
        using (var other = Server.CreateClient())
        {
            await LoginAsync(other, username);
        }

        using var confirm = await client.PostAsync("/api/auth/second-factor/totp/confirm", new { code = app.CodeAt(Server.Time.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(10, (await confirm.JsonAsync())["recoveryCodes"]!.AsArray().Count);
        // Once it is on, this password-only session can no longer change factors (step-up must include the code).
        using var again = await client.PostAsync("/api/auth/second-factor/totp");
        await again.AssertProblemAsync(HttpStatusCode.Forbidden, "reauthentication_required");

        // The password step hands out no session: no token cookies, validate refuses.
        Server.Time.Advance(TimeSpan.FromSeconds(30));
        var laptop = await PasswordStepAsync(username);
        Assert.DoesNotContain("__Host-fs-rt", laptop.Cookies.Keys);
        Assert.DoesNotContain("__Host-fs-at", laptop.Cookies.Keys);
        Assert.Contains("__Host-fs-2fa", laptop.Cookies.Keys);
        using (var validate = await laptop.GetAsync("/api/auth/validate"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, validate.StatusCode);
        }

        var (status, session) = await SendCodeAsync(laptop, new { code = app.CodeAt(Server.Time.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["pwd", "otp", "mfa"], session["amr"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(Server.Time.GetUtcNow(), (DateTimeOffset)session["authTime"]!);
        Assert.DoesNotContain("__Host-fs-2fa", laptop.Cookies.Keys);
        using var validated = await laptop.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        Assert.Equal("otp", (string?)(await validated.JsonAsync())["amr"]![1]);
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Totp_OneStepEitherSideIsAccepted_TwoStepsAreNot()
    {
        var user = await EnrolAsync();
        // Note: past the step the enrolment spent, so the step before now is still unused.
        Server.Time.Advance(TimeSpan.FromSeconds(60));
        var now = Server.Time.GetUtcNow();
        var step = TestTotp.Step(now);

        var first = await PasswordStepAsync(user.Username);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendCodeAsync(first, new { code = user.App.CodeForStep(step - 2) })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendCodeAsync(first, new { code = user.App.CodeForStep(step + 2) })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(first, new { code = user.App.CodeForStep(step - 1) })).Status);

        var second = await PasswordStepAsync(user.Username);
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(second, new { code = user.App.CodeForStep(step + 1) })).Status);
    }

    [Fact]
    public async Task Totp_ACodeIsAcceptedOnce_AndASpentSecondFactorStateIsRefused()
    {
        var user = await EnrolAsync();
        var code = user.App.CodeAt(Server.Time.GetUtcNow());
        var laptop = await PasswordStepAsync(user.Username);
        var pending = laptop.Cookies["__Host-fs-2fa"];
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(laptop, new { code })).Status);

        // The same code on another login in the same 30 seconds: a replay.
        var phone = await PasswordStepAsync(user.Username);
        var (replayStatus, replay) = await SendCodeAsync(phone, new { code });
        Assert.Equal(HttpStatusCode.Unauthorized, replayStatus);
        Assert.Equal("invalid_code", (string?)replay["code"]);

        // The spent state with a fresh code: the state is single use.
        Server.Time.Advance(TimeSpan.FromSeconds(30));
        using var thief = Server.CreateClient();
        thief.Cookies["__Host-fs-2fa"] = pending;
        var (_, spent) = await SendCodeAsync(thief, new { code = user.App.CodeAt(Server.Time.GetUtcNow()) });
        Assert.Equal("second_factor_expired", (string?)spent["code"]);

        // A forged state, and one past its five minutes.
        thief.Cookies["__Host-fs-2fa"] = pending[..^4] + "AAAA";
        Assert.Equal("second_factor_expired", (string?)(await SendCodeAsync(thief, new { code = "123456" })).Body["code"]);
        var late = await PasswordStepAsync(user.Username);
        Server.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("second_factor_expired", (string?)(await SendCodeAsync(late, new { code = user.App.CodeAt(Server.Time.GetUtcNow()) })).Body["code"]);
    }

    [Fact]
    public async Task Totp_WrongCodes_CountOnTheAccountThrottle_AndTheRightPasswordDoesNotResetIt()
    {
        var user = await EnrolAsync();
        var laptop = await PasswordStepAsync(user.Username);
        // Default limit 10: from the fifth consecutive failure on, each one makes the next attempt wait.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("invalid_code", (string?)(await SendCodeAsync(laptop, new { code = WrongCode(user.App) })).Body["code"]);
        }

        using (var refused = await laptop.PostAsync("/api/auth/login/second-factor", new { code = user.App.CodeAt(Server.Time.GetUtcNow()) }))
        {
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }

        // Logging in again with the (known) password gives no fresh budget for codes.
        var again = await PasswordStepAsync(user.Username);
        using (var stillRefused = await again.PostAsync("/api/auth/login/second-factor", new { code = user.App.CodeAt(Server.Time.GetUtcNow()) }))
        {
            await stillRefused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        }

        Server.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await SendCodeAsync(again, new { code = user.App.CodeAt(Server.Time.GetUtcNow()) })).Status);
    }

    [Fact]
    public async Task Totp_BearerMode_TheStateTravelsAsSecondFactorToken()
    {
        await using var bearer = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?> { ["FuncSessions:Http:TokenTransport"] = "Bearer" });
        using var client = bearer.CreateClient();
        var username = NewUsername();
        (await client.PostAsync("/api/auth/register", new { username, password = Password })).Dispose();
        using var login = await client.PostAsync("/api/auth/login", new { username, password = Password });
        client.BearerToken = (string?)(await login.JsonAsync())["accessToken"];
        using var begin = await client.PostAsync("/api/auth/second-factor/totp");
        var app = new TestTotp((string)(await begin.JsonAsync())["secret"]!);
        (await client.PostAsync("/api/auth/second-factor/totp/confirm", new { code = app.CodeAt(bearer.Time.GetUtcNow()) })).Dispose();
        bearer.Time.Advance(TimeSpan.FromSeconds(30));

        using var fresh = bearer.CreateClient();
        using var step = await fresh.PostAsync("/api/auth/login", new { username, password = Password });
        var challenge = await step.JsonAsync();
        Assert.Equal("second_factor_required", (string?)challenge["code"]);
        Assert.Empty(fresh.Cookies);
        using var done = await fresh.PostAsync("/api/auth/login/second-factor",
            new { code = app.CodeAt(bearer.Time.GetUtcNow()), secondFactorToken = (string?)challenge["secondFactorToken"] });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.NotNull((string?)(await done.JsonAsync())["refreshToken"]);
    }

    private string WrongCode(TestTotp app)
    {
        var now = Server.Time.GetUtcNow();
        var valid = new[] { -1, 0, 1 }.Select(d => app.CodeForStep(TestTotp.Step(now) + d)).ToHashSet();
        return Enumerable.Range(0, 10).Select(i => $"{i}{i}{i}{i}{i}{i}").First(c => !valid.Contains(c));
    }
}
