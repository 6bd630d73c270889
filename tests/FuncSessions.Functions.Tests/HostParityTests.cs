using FuncSessions.Functions.Tests.Infrastructure;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.HostParity;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.Functions.Tests;

/// <summary>
/// What the Functions app answers where it used to differ from the self-host (tests/FuncSessions.IntegrationTests
/// checks the same over HTTP): wrong methods and unknown routes reach the catch-all function and get problem JSON,
/// answers that carry Retry-After tell allowlisted origins they may read it, and a client that disconnects ends the
/// invocation quietly.
/// </summary>
public sealed class HostParityTests(RunningFunctionsApp app) : IClassFixture<RunningFunctionsApp>
{
    [Fact]
    public async Task Every_route_under_a_wrong_method_is_a_405_problem_naming_the_allowed_method()
    {
        foreach (var (route, method) in RouteMethods.WrongMethods())
        {
            var path = RouteMethods.PathOf(route);
            var response = await app.InvokeAsync(FunctionCatalog.Named(FallbackFunction.Name), Request(method, path));

            Assert.True(response.Status == 405, $"{method} {route.Template}: {response.Status}");
            Assert.Equal("method_not_allowed", response.Json.GetProperty("code").GetString());
            Assert.Equal(string.Join(", ", RouteMethods.AllowedAt(path)), response.Headers.Allow.ToString());
            AssertApiHeaders(response);
        }
    }

    [Theory]
    [InlineData("GET", "/api/auth/nope")]
    [InlineData("POST", "/api/auth/sessions/a/b")]
    public async Task An_unknown_route_is_a_404_problem(string method, string path)
    {
        var response = await app.InvokeAsync(FunctionCatalog.Named(FallbackFunction.Name), Request(method, path));

        Assert.Equal(404, response.Status);
        Assert.Equal("not_found", response.Json.GetProperty("code").GetString());
        AssertApiHeaders(response);
    }

    [Fact]
    public async Task A_429_lets_an_allowlisted_origin_read_Retry_After_and_validate_names_nothing_to_expose()
    {
        var username = "fx" + Guid.NewGuid().ToString("N")[..8];
        var credentials = $$"""{"username":"{{username}}","password":"correct horse battery staple"}""";
        var wrong = $$"""{"username":"{{username}}","password":"not the password"}""";
        Assert.InRange((await Call("Register", AuthRoutes.Register, credentials)).Status, 200, 299);
        var login = await Call("Login", AuthRoutes.Login, credentials);

        // Note: this app runs on the real clock, so a slow machine may outwait the progressive delay that follows the
        // fifth failure; the tenth locks the name for 15 minutes, so an eleventh guess is refused however slow it is.
        var locked = await Call("Login", AuthRoutes.Login, wrong);
        for (var i = 0; i < 10 && locked.Status != StatusCodes.Status429TooManyRequests; i++)
        {
            locked = await Call("Login", AuthRoutes.Login, wrong);
        }

        var validate = await app.InvokeAsync(FunctionCatalog.Named("Validate"), WithOrigin(RunningFunctionsApp.Request(
            HttpMethods.Get, "/api/" + AuthRoutes.Validate, cookie: login.CookieHeader)));

        Assert.Equal(StatusCodes.Status429TooManyRequests, locked.Status);
        Assert.NotEqual(0, locked.Headers.RetryAfter.Count);
        Assert.Equal("Retry-After, X-Revalidate-Session", locked.Headers.AccessControlExposeHeaders.ToString());
        Assert.Equal(StatusCodes.Status200OK, validate.Status);
        Assert.False(validate.Headers.ContainsKey("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task A_request_whose_client_disconnects_mid_handler_ends_the_invocation_without_an_exception()
    {
        using var aborted = new CancellationTokenSource();
        var context = RunningFunctionsApp.Request(HttpMethods.Post, "/api/" + AuthRoutes.Login);
        context.RequestAborted = aborted.Token;
        context.Request.ContentType = "application/json";
        context.Request.Body = new DisconnectingBody(aborted);

        var response = await app.InvokeAsync(FunctionCatalog.Named("Login"), context);

        Assert.Equal(StatusCodes.Status499ClientClosedRequest, response.Status);
    }

    private Task<FunctionResponse> Call(string function, string template, string json) =>
        app.InvokeAsync(FunctionCatalog.Named(function), WithOrigin(RunningFunctionsApp.Request(HttpMethods.Post, "/api/" + template, json)));

    private static DefaultHttpContext WithOrigin(DefaultHttpContext context)
    {
        context.Request.Headers.Origin = RunningFunctionsApp.AllowedOrigin;
        return context;
    }

    private static DefaultHttpContext Request(string method, string path) =>
        RunningFunctionsApp.Request(method, path, json: method == HttpMethods.Get ? null : "{}");

    private static void AssertApiHeaders(FunctionResponse response)
    {
        Assert.Equal("application/problem+json", response.Headers.ContentType.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.ContentSecurityPolicy.ToString());
    }
}
