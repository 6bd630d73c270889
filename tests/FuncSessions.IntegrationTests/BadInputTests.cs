using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests;

/// <summary>Bad input gets a 4xx problem and touches no storage at all.</summary>
public sealed class BadInputTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    public static TheoryData<string, string?, string, HttpStatusCode, string> Cases => new()
    {
        { "/api/auth/login", "application/json", "{\"username\":", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/login", "application/json", "[1,2,3]", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/login", "application/json", "{\"username\":\"a\",\"password\":\"b\",\"admin\":true}", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/login", "application/json", "{\"username\":42,\"password\":\"b\"}", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/login", "application/json", "", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/login", "application/json", "{\"password\":\"correct horse battery staple\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "/api/auth/login", "application/json", "{\"username\":\"someone\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "/api/auth/login", "text/plain", "{\"username\":\"a\",\"password\":\"b\"}", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
        { "/api/auth/login", "application/x-www-form-urlencoded", "username=a&password=b", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
        { "/api/auth/login", null, "{}", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
        { "/api/auth/login", "application/json", "{\"username\":\"a\",\"password\":\"" + new string('x', 20_000) + "\"}", HttpStatusCode.RequestEntityTooLarge, "body_too_large" },
        { "/api/auth/login", "application/json", "{\"username\":\"a\",\"password\":\"" + new string('x', 5_000) + "\"}", HttpStatusCode.BadRequest, "password_too_long" },
        { "/api/auth/register", "application/json", "{\"username\":\"" + new string('n', 65) + "\",\"password\":\"correct horse battery staple\"}", HttpStatusCode.BadRequest, "invalid_username" },
        { "/api/auth/register", "application/json", "{\"username\":\"two words\",\"password\":\"correct horse battery staple\"}", HttpStatusCode.BadRequest, "invalid_username" },
        { "/api/auth/register", "application/json", "{\"username\":\"someone\",\"password\":\"fourteen chars\"}", HttpStatusCode.BadRequest, "password_too_short" },
        { "/api/auth/login", "application/json", "{\"username\":\"a\\ud800b\",\"password\":\"correct horse battery staple\"}", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/login", "application/json", "{\"username\":\"someone\",\"password\":\"correct horse \\udc00battery staple\"}", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/register", "application/json", "{\"username\":\"\\ud800\",\"password\":\"correct horse battery staple\"}", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/register", "application/json", "{\"username\":\"someone\",\"password\":\"correct horse battery staple\\ud83d\"}", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/refresh", "application/json", "{\"refreshToken\":\"a\\ud800\"}", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/refresh", "application/json", "{\"refreshToken\":5}", HttpStatusCode.BadRequest, "invalid_json" },
        { "/api/auth/refresh", "text/plain", "", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
        { "/api/auth/logout", "text/plain", "", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequests_GetAProblem_AndCauseNoStorageCall(string path, string? contentType, string body, HttpStatusCode status, string code)
    {
        using var client = Server.CreateClient();
        var callsBefore = Server.StorageCalls;

        using var response = await client.PostRawAsync(path, body, contentType);

        await response.AssertProblemAsync(status, code);
        Assert.Equal(callsBefore, Server.StorageCalls);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Refresh_WithAGarbageCookie_Returns401_AndWritesNothing(string cookie)
    {
        using var client = Server.CreateClient();
        client.Cookies[FuncSessions.Http.TokenDelivery.RefreshTokenCookie] = cookie;
        var callsBefore = Server.StorageCalls;

        using var response = await client.PostAsync("/api/auth/refresh");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        // Note: a failed refresh counts against the client address (case 24): one read and one write of its throttle
        // counter, and the expiry-index entry of the row that strike opens (the throttle sweep).
        Assert.True(Server.StorageCalls - callsBefore <= 4,
            "At most the one point read of a well-formed token's row, plus the client's strike and its index entry.");
    }

    [Fact]
    public async Task StateChangingRoutes_RefuseGet()
    {
        using var client = Server.CreateClient();

        foreach (var path in new[] { "/api/auth/login", "/api/auth/refresh", "/api/auth/logout", "/api/auth/logout-all", "/api/auth/password", "/api/auth/register" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
    }
}
