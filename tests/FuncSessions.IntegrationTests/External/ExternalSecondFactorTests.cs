using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.External;

/// <summary>
/// An account with TOTP on gets no session from the provider alone: the callback ends on the site with
/// <c>second_factor_required</c> and the pending state in the same sealed cookie password login uses, and the code
/// completes it into a session whose <c>amr</c> names both.
/// </summary>
public sealed class ExternalSecondFactorTests(AzuriteFixture fixture, OidcProvider provider) : ExternalSignInTest(fixture, provider)
{
    [Fact]
    public async Task WithTotpOn_TheCallbackAsksForTheCode_AndOnlyTheCodeCompletesTheSignIn()
    {
        var login = NewLogin();
        using var first = Server.CreateClient();
        await SignInAsync(first, login);
        using var begin = await first.PostAsync("/api/auth/second-factor/totp");
        Assert.Equal(HttpStatusCode.OK, begin.StatusCode);
        var app = new TestTotp((string)(await begin.JsonAsync())["secret"]!);
        using var confirm = await first.PostAsync("/api/auth/second-factor/totp/confirm", new { code = app.CodeAt(Server.Time.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        // Note: the confirming code's step is spent; the sign-in below needs the next one.
        Server.Time.Advance(TimeSpan.FromSeconds(30));

        using var second = Server.CreateClient();
        var back = await SignInAsync(second, login);

        Assert.Equal("second_factor_required", ErrorOf(back));
        using var before = await second.GetAsync("/api/auth/validate");
        await before.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        var right = app.CodeAt(Server.Time.GetUtcNow());
        using var wrong = await second.PostAsync("/api/auth/login/second-factor", new { code = right == "000000" ? "111111" : "000000" });
        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_code");

        using var code = await second.PostAsync("/api/auth/login/second-factor", new { code = right });

        Assert.Equal(HttpStatusCode.OK, code.StatusCode);
        var session = await ValidateAsync(second);
        var amr = session["amr"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Contains("fed", amr);
        Assert.Contains("otp", amr);
        Assert.Contains("mfa", amr);
        Assert.Equal((string?)(await ValidateAsync(first))["userId"], (string?)session["userId"]);
    }
}
