using System.Net;
using System.Text;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.IntegrationTests.HostParity;

/// <summary>
/// What the self-host answers where it used to differ from the Functions host (tests/FuncSessions.Functions.Tests
/// checks the same through the Functions app): wrong methods and unknown routes as problem JSON, the expose header
/// on the answers that carry Retry-After or X-Revalidate-Session, and a client that disconnects mid-request.
/// </summary>
public sealed class SelfHostParityTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const string AllowedOrigin = "https://app.funcsessions.test";

    protected override IDictionary<string, string?>? Settings =>
        new Dictionary<string, string?>
        {
            ["FuncSessions:Http:AllowedOrigins"] = AllowedOrigin,
            ["FuncSessions:Sessions:ClientWritableDataKeys"] = "theme",
        };

    public static TheoryData<string, string> WrongMethods()
    {
        var cases = new TheoryData<string, string>();
        foreach (var (route, method) in RouteMethods.WrongMethods())
        {
            cases.Add(route.Name, method);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(WrongMethods))]
    public async Task A_wrong_method_on_a_known_route_is_a_405_problem_naming_the_allowed_method(string routeName, string method)
    {
        var route = AuthRoutes.All.Single(r => r.Name == routeName);
        using var client = Server.CreateClient();

        using var response = await client.SendAsync(new HttpMethod(method), Path(route), Body(method));

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal(RouteMethods.AllowedAt(Path(route)), response.Content.Headers.Allow);
        AssertApiHeaders(response);
    }

    [Theory]
    [InlineData("GET", "/api/auth/nope")]
    [InlineData("POST", "/api/auth/sessions/a/b")]
    [InlineData("GET", "/api/other")]
    public async Task An_unknown_route_under_the_api_is_a_404_problem(string method, string path)
    {
        using var client = Server.CreateClient();

        using var response = await client.SendAsync(new HttpMethod(method), path, Body(method));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        AssertApiHeaders(response);
    }

    [Fact]
    public async Task An_allowlisted_origin_may_read_Retry_After_and_X_Revalidate_Session_on_the_answers_that_carry_them()
    {
        var (client, username, _) = await SignedInClientAsync();
        client.Headers["Origin"] = AllowedOrigin;

        using var patch = await client.PatchAsync("/api/auth/session", new { theme = "dark" });
        for (var i = 0; i < 10; i++)
        {
            using var failed = await client.PostAsync("/api/auth/login", new { username, password = "not the password" });
        }

        using var locked = await client.PostAsync("/api/auth/login", new { username, password = Password });

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(["true"], patch.Headers.GetValues(ResponseHeaders.RevalidateSession));
        Assert.Equal(["Retry-After, X-Revalidate-Session"], patch.Headers.GetValues("Access-Control-Expose-Headers"));
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Equal(["Retry-After, X-Revalidate-Session"], locked.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Equal([AllowedOrigin], locked.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Answers_without_those_headers_name_none_to_expose()
    {
        var (client, _, _) = await SignedInClientAsync();
        client.Headers["Origin"] = AllowedOrigin;

        using var validate = await client.GetAsync("/api/auth/validate");
        using var unknown = await client.GetAsync("/api/auth/nope");

        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        Assert.Equal([AllowedOrigin], validate.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.False(validate.Headers.Contains("Access-Control-Expose-Headers"));
        Assert.False(unknown.Headers.Contains("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task A_request_whose_client_disconnects_mid_handler_ends_quietly()
    {
        var context = new DefaultHttpContext { RequestServices = Server.Services };
        using var aborted = new CancellationTokenSource();
        context.RequestAborted = aborted.Token;
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = "/api/" + AuthRoutes.Login;
        context.Request.ContentType = "application/json";
        context.Request.Body = new DisconnectingBody(aborted);
        var login = AuthRoutes.All.Single(r => r.Name == "Login");

        var result = await login.Invoke(Server.Services, context);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status499ClientClosedRequest, context.Response.StatusCode);
    }

    private static string Path(AuthRoute route) => RouteMethods.PathOf(route);

    private static StringContent? Body(string method) =>
        method is "GET" ? null : new StringContent("{}", Encoding.UTF8, "application/json");

    private static void AssertApiHeaders(HttpResponseMessage response)
    {
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["default-src 'none'; frame-ancestors 'none'"], response.Headers.GetValues("Content-Security-Policy"));
    }
}

/// <summary>A request body whose client goes away while it is read: the server cancels RequestAborted and the read fails, as Kestrel does.</summary>
public sealed class DisconnectingBody(CancellationTokenSource aborted) : MemoryStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await aborted.CancelAsync();
        throw new OperationCanceledException(aborted.Token);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
