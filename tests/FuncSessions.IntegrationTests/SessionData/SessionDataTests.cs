using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.IntegrationTests.Validation;
using FuncSessions.Sessions;
using FuncSessions.Users;
using FuncSessions.Validation;

namespace FuncSessions.IntegrationTests.SessionData;

/// <summary>
/// Session data end to end: set at login by an <see cref="ISessionClaimsProvider"/>, changed by the client with
/// <c>PATCH /api/auth/session</c>, read by validate, carried into access tokens and seen by samples/ProtectedApi.
/// </summary>
public sealed class SessionDataTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const string AccessTokenCookie = FuncSessionsTokenReader.AccessTokenCookie;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Sessions:ClientWritableDataKeys"] = "theme, locale, k0, k1, k2, k3, k4, k5, k6, k7",
    };

    protected override Action<IServiceCollection> Services => services => services.AddSingleton<ISessionClaimsProvider, TenantClaimsProvider>();

    [Fact]
    public async Task Login_StartsTheSessionWithTheProvidersData_InTheBodyValidateAndTheAccessToken()
    {
        var (client, _, login) = await SignedInClientAsync();
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time);
        using var validate = await client.GetAsync("/api/auth/validate");
        var token = client.Cookies[AccessTokenCookie];

        AssertTenantData(login["data"]);
        AssertTenantData((await validate.JsonAsync())["data"]);
        AssertTenantData(TestTokens.Payload(token));
        AssertTenantData((await WhoAmIAsync(api, token))["data"]);
        client.Dispose();
    }

    [Fact]
    public async Task Patch_IsVisibleToValidateAtOnce_AndToOfflineVerifiersInTheNextAccessToken()
    {
        // Arrange
        var (client, _, _) = await SignedInClientAsync();
        await using var api = await ProtectedApiServer.StartAsync(Server.BaseAddress, Server.Time);
        var oldToken = client.Cookies[AccessTokenCookie];

        // Act
        using var patch = await PatchAsync(client, """{"theme":"dark","locale":"de-CH"}""");

        // Assert: a new access token, the revalidation signal, and the merged data everywhere but in the old token.
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("true", patch.Headers.GetValues("X-Revalidate-Session").Single());
        var newToken = client.Cookies[AccessTokenCookie];
        Assert.NotEqual(oldToken, newToken);
        Assert.DoesNotContain(client.LastSetCookies, c => c.StartsWith("__Host-fs-rt=", StringComparison.Ordinal));
        var body = await patch.JsonAsync();
        Assert.Equal("dark", (string?)body["data"]!["theme"]);
        AssertTenantData(body["data"]);

        using var validate = await client.GetAsync("/api/auth/validate");
        var validated = (await validate.JsonAsync())["data"]!;
        Assert.Equal("dark", (string?)validated["theme"]);
        Assert.Equal("de-CH", (string?)validated["locale"]);
        Assert.Equal("dark", (string?)(await WhoAmIAsync(api, newToken))["data"]!["theme"]);
        Assert.Null((await WhoAmIAsync(api, oldToken))["data"]!["theme"]);

        // Act + Assert: JSON Merge Patch: null removes a key, others stay.
        using var remove = await PatchAsync(client, """{"theme":null}""");
        Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
        using var validateAgain = await client.GetAsync("/api/auth/validate");
        var after = (await validateAgain.JsonAsync())["data"]!.AsObject();
        Assert.False(after.ContainsKey("theme"));
        Assert.Equal("de-CH", (string?)after["locale"]);
        client.Dispose();
    }

    [Fact]
    public async Task Refresh_CarriesTheDataIntoTheNewAccessToken()
    {
        var (client, _, _) = await SignedInClientAsync();
        using (var patch = await PatchAsync(client, """{"theme":"dark"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        Server.Time.Advance(TimeSpan.FromMinutes(9));
        using var refresh = await client.PostAsync("/api/auth/refresh");

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal("dark", (string?)(await refresh.JsonAsync())["data"]!["theme"]);
        var payload = TestTokens.Payload(client.Cookies[AccessTokenCookie]);
        Assert.Equal("dark", (string?)payload["theme"]);
        AssertTenantData(payload);
        client.Dispose();
    }

    [Theory]
    [InlineData("""{"sub":"someone-else"}""", 400, "reserved_claim_name")]
    [InlineData("""{"Exp":1}""", 400, "reserved_claim_name")]
    [InlineData("""{"sid":"x","theme":"dark"}""", 400, "reserved_claim_name")]
    [InlineData("""{"theme":{"nested":true}}""", 400, "invalid_session_data")]
    [InlineData("""{"theme":[null]}""", 400, "invalid_session_data")]
    [InlineData("""{"bad key":"x"}""", 400, "invalid_session_data")]
    [InlineData("""{"theme":"\ud800"}""", 400, "invalid_session_data")]
    [InlineData("""{"theme":"dark\udfff"}""", 400, "invalid_session_data")]
    [InlineData("""{"theme":["ok","\ud83d"]}""", 400, "invalid_session_data")]
    [InlineData("""{"theme\ud800":"x"}""", 400, "invalid_json")]
    [InlineData("""{"roles":["admin"]}""", 403, "session_data_not_writable")]
    [InlineData("""{"tenant":null}""", 403, "session_data_not_writable")]
    [InlineData("""["theme"]""", 400, "invalid_json")]
    public async Task Patch_RefusesBadData_WithProblemJson_AndChangesNothing(string patch, int status, string code)
    {
        var (client, _, login) = await SignedInClientAsync();

        using var response = await PatchAsync(client, patch);

        await response.AssertProblemAsync((HttpStatusCode)status, code);
        Assert.False(response.Headers.Contains("X-Revalidate-Session"));
        using var validate = await client.GetAsync("/api/auth/validate");
        Assert.Equal(login["data"]!.ToJsonString(), (await validate.JsonAsync())["data"]!.ToJsonString());
        client.Dispose();
    }

    [Fact]
    public async Task Patch_RefusesDataOverTheSizeLimit_CountingWhatIsAlreadyThere()
    {
        var (client, _, _) = await SignedInClientAsync();
        var half = new string('x', 1000);

        using var first = await PatchAsync(client, $$"""{"k0":"{{half}}"}""");
        using var second = await PatchAsync(client, $$"""{"k1":"{{half}}"}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.BadRequest, "session_data_too_large");
        using var validate = await client.GetAsync("/api/auth/validate");
        Assert.False((await validate.JsonAsync())["data"]!.AsObject().ContainsKey("k1"));
        client.Dispose();
    }

    [Fact]
    public async Task Patch_WithoutAValidAccessToken_Is401()
    {
        using var client = Server.CreateClient();

        using var response = await PatchAsync(client, """{"theme":"dark"}""");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task ConcurrentPatches_AreEachAppliedOrRefusedWith409_NeverLostSilently()
    {
        // Arrange: eight tabs of one session, each patching its own key at the same moment.
        var (client, _, _) = await SignedInClientAsync();
        var tabs = Enumerable.Range(0, 8).Select(_ => Server.CreateClient()).ToList();
        foreach (var tab in tabs)
        {
            tab.Cookies[AccessTokenCookie] = client.Cookies[AccessTokenCookie];
        }

        // Act
        var responses = await Task.WhenAll(tabs.Select((tab, i) => PatchAsync(tab, $$"""{"k{{i}}":{{i}}}""")));

        // Assert
        using var validate = await client.GetAsync("/api/auth/validate");
        var data = (await validate.JsonAsync())["data"]!.AsObject();
        for (var i = 0; i < responses.Length; i++)
        {
            if (responses[i].StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(i, (int?)data[$"k{i}"]);
            }
            else
            {
                await responses[i].AssertProblemAsync(HttpStatusCode.Conflict, "session_data_conflict");
                Assert.False(data.ContainsKey($"k{i}"));
            }
        }

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        AssertTenantData(data);
        foreach (var disposable in responses.Cast<IDisposable>().Concat(tabs).Append(client))
        {
            disposable.Dispose();
        }
    }

    [Fact]
    public async Task WithData_ValidateStaysOneStorageCall_RefreshTwo_AndPatchTwo()
    {
        var (client, _, _) = await SignedInClientAsync();

        var patch = await CountAsync(() => PatchAsync(client, """{"theme":"dark"}"""));
        var validate = await CountAsync(() => client.GetAsync("/api/auth/validate"));
        var refresh = await CountAsync(() => client.PostAsync("/api/auth/refresh"));

        Assert.Equal(2, patch);
        Assert.Equal(1, validate);
        Assert.Equal(2, refresh);
        client.Dispose();
    }

    private static Task<HttpResponseMessage> PatchAsync(ApiClient client, string json) =>
        client.SendAsync(HttpMethod.Patch, "/api/auth/session", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> WhoAmIAsync(ProtectedApiServer api, string token)
    {
        using var caller = api.CreateClient();
        caller.BearerToken = token;
        using var response = await caller.GetAsync("/api/protected/whoami");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static void AssertTenantData(JsonNode? data)
    {
        Assert.NotNull(data);
        Assert.Equal("contoso", (string?)data["tenant"]);
        Assert.Equal(["reader"], data["roles"]!.AsArray().Select(r => (string?)r));
    }

    private async Task<long> CountAsync(Func<Task<HttpResponseMessage>> request)
    {
        var before = Server.StorageCalls;
        using var response = await request();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {response.StatusCode}");
        return Server.StorageCalls - before;
    }

    /// <summary>What a host app's provider typically sets: server-owned facts the client must not change.</summary>
    private sealed class TenantClaimsProvider : ISessionClaimsProvider
    {
        public ValueTask<IReadOnlyDictionary<string, JsonElement>?> GetSessionDataAsync(UserAccount user, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, JsonElement>?>(new Dictionary<string, JsonElement>
            {
                ["tenant"] = JsonSerializer.SerializeToElement("contoso"),
                ["roles"] = JsonSerializer.SerializeToElement(new[] { "reader" }),
            });
    }
}
