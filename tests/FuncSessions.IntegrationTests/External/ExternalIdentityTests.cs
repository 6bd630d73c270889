using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.External;

/// <summary>Linking an identity to the signed-in account, listing and unlinking, never down to no way to sign in.</summary>
public sealed class ExternalIdentityTests(AzuriteFixture fixture, OidcProvider provider) : ExternalSignInTest(fixture, provider)
{
    private const string PasskeyRpId = "localhost";
    private const string PasskeyOrigin = "http://localhost:5173";

    protected override IDictionary<string, string?>? Settings
    {
        get
        {
            var settings = base.Settings!;
            settings["FuncSessions:Passkeys:RelyingPartyId"] = PasskeyRpId;
            settings["FuncSessions:Passkeys:Origins"] = PasskeyOrigin;
            return settings;
        }
    }

    [Fact]
    public async Task LinkWhileSignedIn_ThenTheIdentitySignsInToThatAccount()
    {
        var (api, _, login) = await SignedInClientAsync();
        var external = NewLogin();

        var back = await SignInAsync(api, external, link: true);

        Assert.Equal(ReturnTo, back.AbsoluteUri);
        var identities = await IdentitiesAsync(api);
        var item = Assert.Single(identities["identities"]!.AsArray());
        Assert.Equal("local", (string?)item!["provider"]);
        Assert.Equal($"{external}@example.test", (string?)item["email"]);
        Assert.True((bool)identities["hasPassword"]!);
        using var other = Server.CreateClient();
        await SignInAsync(other, external);
        Assert.Equal((string?)login["userId"], (string?)(await ValidateAsync(other))["userId"]);
        api.Dispose();
    }

    [Fact]
    public async Task Link_WithoutASession_IsRefused()
    {
        using var api = Server.CreateClient();

        using var response = await api.GetAsync(StartPath(link: true));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("invalid_token", ErrorOf(response.Headers.Location!));
    }

    [Fact]
    public async Task Link_OfAnIdentityThatSignsInElsewhere_IsRefused()
    {
        var external = NewLogin();
        using (var owner = Server.CreateClient())
        {
            await SignInAsync(owner, external);
        }

        var (api, _, _) = await SignedInClientAsync();
        var back = await SignInAsync(api, external, link: true);

        Assert.Equal("identity_in_use", ErrorOf(back));
        Assert.Empty((await IdentitiesAsync(api))["identities"]!.AsArray());
        api.Dispose();
    }

    [Fact]
    public async Task Unlink_RemovesTheIdentity_WhenThePasswordRemains()
    {
        var (api, _, login) = await SignedInClientAsync();
        var external = NewLogin();
        await SignInAsync(api, external, link: true);
        var id = (string?)(await IdentitiesAsync(api))["identities"]![0]!["id"];

        using var response = await api.DeleteAsync($"/api/auth/identities/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty((await IdentitiesAsync(api))["identities"]!.AsArray());
        // Note: the identity is free again: it now makes an account of its own.
        using var other = Server.CreateClient();
        await SignInAsync(other, external);
        Assert.NotEqual((string?)login["userId"], (string?)(await ValidateAsync(other))["userId"]);
        api.Dispose();
    }

    [Fact]
    public async Task Unlink_OfTheLastWayToSignIn_IsRefused()
    {
        using var api = Server.CreateClient();
        await SignInAsync(api, NewLogin());
        var identities = await IdentitiesAsync(api);
        Assert.False((bool)identities["hasPassword"]!);

        using var response = await api.DeleteAsync($"/api/auth/identities/{(string?)identities["identities"]![0]!["id"]}");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "last_sign_in_method");
        Assert.Single((await IdentitiesAsync(api))["identities"]!.AsArray());
    }

    [Fact]
    public async Task PasskeyDelete_OfTheLastWayToSignIn_IsRefused_AfterTheIdentityWasUnlinked()
    {
        using var api = Server.CreateClient();
        await SignInAsync(api, NewLogin());
        using var authenticator = new SoftwareAuthenticator(PasskeyRpId, PasskeyOrigin);
        var (token, options) = await PasskeyOptionsAsync(api);
        using (var created = await api.PostAsync("/api/auth/passkeys/register",
                   new { challengeToken = token, credential = authenticator.Create(options), name = "Laptop" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // With the passkey as a second way in, the identity may go; then the passkey is the only way left.
        using (var unlink = await api.DeleteAsync($"/api/auth/identities/{(string?)(await IdentitiesAsync(api))["identities"]![0]!["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, unlink.StatusCode);
        }

        using var delete = await api.DeleteAsync("/api/auth/passkeys/" + authenticator.Id);

        await delete.AssertProblemAsync(HttpStatusCode.Conflict, "last_sign_in_method");
        using var list = await api.GetAsync("/api/auth/passkeys");
        Assert.Equal(authenticator.Id, (string?)Assert.Single((await list.JsonAsync())["passkeys"]!.AsArray())!["id"]);
    }

    [Fact]
    public async Task PasskeyDelete_WhileAnIdentityRemains_Deletes_AndAnUnknownPasskeyIs404()
    {
        using var api = Server.CreateClient();
        await SignInAsync(api, NewLogin());
        using var authenticator = new SoftwareAuthenticator(PasskeyRpId, PasskeyOrigin);
        var (token, options) = await PasskeyOptionsAsync(api);
        (await api.PostAsync("/api/auth/passkeys/register",
            new { challengeToken = token, credential = authenticator.Create(options), name = "Laptop" })).Dispose();

        using var unknown = await api.DeleteAsync("/api/auth/passkeys/bm9uZQ");
        using var delete = await api.DeleteAsync("/api/auth/passkeys/" + authenticator.Id);

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "passkey_not_found");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task Unlink_OfAnUnknownId_Is404()
    {
        var (api, _, _) = await SignedInClientAsync();

        using var response = await api.DeleteAsync("/api/auth/identities/nope");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "identity_not_found");
        api.Dispose();
    }

    private static async Task<(string Token, System.Text.Json.Nodes.JsonObject Options)> PasskeyOptionsAsync(ApiClient api)
    {
        using var response = await api.PostAsync("/api/auth/passkeys/register/options");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        return ((string)body["challengeToken"]!, body["options"]!.AsObject());
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> IdentitiesAsync(ApiClient api)
    {
        using var response = await api.GetAsync("/api/auth/identities");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
