using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.External;

/// <summary>Linking an identity to the signed-in account, listing and unlinking, never down to no way to sign in.</summary>
public sealed class ExternalIdentityTests(AzuriteFixture fixture, OidcProvider provider) : ExternalSignInTest(fixture, provider)
{
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
    public async Task Unlink_OfAnUnknownId_Is404()
    {
        var (api, _, _) = await SignedInClientAsync();

        using var response = await api.DeleteAsync("/api/auth/identities/nope");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "identity_not_found");
        api.Dispose();
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> IdentitiesAsync(ApiClient api)
    {
        using var response = await api.GetAsync("/api/auth/identities");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
