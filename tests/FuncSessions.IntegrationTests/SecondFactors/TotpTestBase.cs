using System.Net;
using System.Text.Json.Nodes;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.SecondFactors;

/// <summary>Signs a user up and turns TOTP on the way a user would: set-up, a code from the app, the recovery codes.</summary>
public abstract class TotpTestBase(AzuriteFixture fixture) : ApiTest(fixture)
{
    protected sealed record Enrolled(ApiClient Client, string Username, TestTotp App, IReadOnlyList<string> RecoveryCodes);

    protected async Task<Enrolled> EnrolAsync()
    {
        var (client, username, _) = await SignedInClientAsync();
        using var begin = await client.PostAsync("/api/auth/second-factor/totp");
        Assert.Equal(HttpStatusCode.OK, begin.StatusCode);
        var app = new TestTotp((string)(await begin.JsonAsync())["secret"]!);
        using var confirm = await client.PostAsync("/api/auth/second-factor/totp/confirm", new { code = app.CodeAt(Server.Time.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var codes = (await confirm.JsonAsync())["recoveryCodes"]!.AsArray().Select(c => (string)c!).ToList();
        // Note: the confirming code's step is spent; the next login needs the next one.
        Server.Time.Advance(TimeSpan.FromSeconds(30));
        return new Enrolled(client, username, app, codes);
    }

    /// <summary>A password login that stops at the code step (its state kept in the client's cookie jar).</summary>
    protected async Task<ApiClient> PasswordStepAsync(string username, ApiClient? client = null)
    {
        client ??= Server.CreateClient();
        using var login = await client.PostAsync("/api/auth/login", new { username, password = Password });
        await login.AssertProblemAsync(HttpStatusCode.Unauthorized, "second_factor_required");
        return client;
    }

    protected async Task<(HttpStatusCode Status, JsonObject Body)> SendCodeAsync(ApiClient client, object body)
    {
        using var response = await client.PostAsync("/api/auth/login/second-factor", body);
        return (response.StatusCode, await response.JsonAsync());
    }
}
