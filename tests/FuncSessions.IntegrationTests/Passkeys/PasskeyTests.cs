using System.Net;
using System.Text.Json.Nodes;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Passkeys;

/// <summary>Passkeys end to end over HTTP with a software authenticator that makes real attestations and signatures.</summary>
public sealed class PasskeyTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const string RpId = "localhost";
    private const string Origin = "http://localhost:5173";

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Passkeys:RelyingPartyId"] = RpId,
        ["FuncSessions:Passkeys:Origins"] = Origin,
    };

    [Fact]
    public async Task Passkey_RegisteredToTheAccount_SignsInWithoutAPassword_IsListed_AndDeleted()
    {
        var (client, username, _) = await SignedInClientAsync();
        using var authenticator = new SoftwareAuthenticator(RpId, Origin);
        var created = await RegisterAsync(client, authenticator);
        Assert.Equal(HttpStatusCode.Created, created.Status);

        using var anonymous = Server.CreateClient();
        var (status, session) = await SignInAsync(anonymous, authenticator);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(username, (string?)session["username"]);
        Assert.Equal(["hwk", "user", "mfa"], session["amr"]!.AsArray().Select(a => (string)a!));
        Assert.Contains("__Host-fs-rt", anonymous.Cookies.Keys);

        using var list = await anonymous.GetAsync("/api/auth/passkeys");
        var passkeys = (await list.JsonAsync())["passkeys"]!.AsArray();
        Assert.Equal(authenticator.Id, (string?)Assert.Single(passkeys)!["id"]);
        Assert.Equal("Laptop", (string?)passkeys[0]!["name"]);
        Assert.NotNull((string?)passkeys[0]!["lastUsedAt"]);

        using var delete = await anonymous.DeleteAsync("/api/auth/passkeys/" + authenticator.Id);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var again = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(again, authenticator)).Status);
    }

    [Fact]
    public async Task Passkey_ChallengesAreSingleUse_AndBoundToTheUserAndTheCeremony()
    {
        var (alice, _, _) = await SignedInClientAsync();
        var (bob, _, _) = await SignedInClientAsync();
        using var authenticator = new SoftwareAuthenticator(RpId, Origin);

        // Alice's registration challenge, answered in Bob's session: refused.
        var (aliceToken, aliceOptions) = await OptionsAsync(alice, "/api/auth/passkeys/register/options");
        using var crossUser = await bob.PostAsync("/api/auth/passkeys/register",
            new { challengeToken = aliceToken, credential = authenticator.Create(aliceOptions), name = "Stolen" });
        await crossUser.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_passkey");

        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(alice, authenticator)).Status);

        // A sign-in challenge used once cannot be used again, even with a fresh signature.
        using var anonymous = Server.CreateClient();
        var (token, options) = await OptionsAsync(anonymous, "/api/auth/passkeys/login/options");
        using var first = await anonymous.PostAsync("/api/auth/passkeys/login", new { challengeToken = token, credential = authenticator.Get(options) });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var replay = await anonymous.PostAsync("/api/auth/passkeys/login", new { challengeToken = token, credential = authenticator.Get(options) });
        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_passkey");

        // A registration challenge is not a sign-in challenge, and an expired one is refused.
        using var wrongKind = await anonymous.PostAsync("/api/auth/passkeys/login", new { challengeToken = aliceToken, credential = authenticator.Get(aliceOptions) });
        await wrongKind.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_passkey");
        var (late, lateOptions) = await OptionsAsync(anonymous, "/api/auth/passkeys/login/options");
        Server.Time.Advance(TimeSpan.FromMinutes(5));
        using var expired = await anonymous.PostAsync("/api/auth/passkeys/login", new { challengeToken = late, credential = authenticator.Get(lateOptions) });
        await expired.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_passkey");
    }

    [Fact]
    public async Task Passkey_WrongOriginWrongRpIdAndACounterThatWentBack_AreRefused()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var phishing = new SoftwareAuthenticator(RpId, "http://localhost:6666");
        Assert.Equal(HttpStatusCode.Unauthorized, (await RegisterAsync(client, phishing)).Status);
        var (token, options) = await OptionsAsync(client, "/api/auth/passkeys/register/options");
        using var otherRp = new SoftwareAuthenticator(RpId, Origin);
        using var wrongRp = await client.PostAsync("/api/auth/passkeys/register",
            new { challengeToken = token, credential = otherRp.Create(options, rpIdOverride: "evil.example"), name = "Laptop" });
        await wrongRp.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_passkey");

        using var authenticator = new SoftwareAuthenticator(RpId, Origin) { SignCount = 5 };
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, authenticator)).Status);
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(anonymous, authenticator)).Status);

        var (loginToken, loginOptions) = await OptionsAsync(anonymous, "/api/auth/passkeys/login/options");
        using var wrongOrigin = await anonymous.PostAsync("/api/auth/passkeys/login",
            new { challengeToken = loginToken, credential = authenticator.Get(loginOptions, originOverride: "http://localhost:6666") });
        await wrongOrigin.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_passkey");

        // A clone of the authenticator replays an older counter value.
        var (cloneToken, cloneOptions) = await OptionsAsync(anonymous, "/api/auth/passkeys/login/options");
        using var clone = await anonymous.PostAsync("/api/auth/passkeys/login",
            new { challengeToken = cloneToken, credential = authenticator.Get(cloneOptions, signCount: 3) });
        await clone.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_passkey");
    }

    private static async Task<(string Token, JsonObject Options)> OptionsAsync(ApiClient client, string path)
    {
        using var response = await client.PostAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        return ((string)body["challengeToken"]!, body["options"]!.AsObject());
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> RegisterAsync(ApiClient client, SoftwareAuthenticator authenticator)
    {
        var (token, options) = await OptionsAsync(client, "/api/auth/passkeys/register/options");
        using var response = await client.PostAsync("/api/auth/passkeys/register",
            new { challengeToken = token, credential = authenticator.Create(options), name = "Laptop" });
        return (response.StatusCode, await response.JsonAsync());
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> SignInAsync(ApiClient client, SoftwareAuthenticator authenticator)
    {
        var (token, options) = await OptionsAsync(client, "/api/auth/passkeys/login/options");
        using var response = await client.PostAsync("/api/auth/passkeys/login", new { challengeToken = token, credential = authenticator.Get(options) });
        return (response.StatusCode, await response.JsonAsync());
    }
}
