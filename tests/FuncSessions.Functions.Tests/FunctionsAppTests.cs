using FuncSessions.Functions.Tests.Infrastructure;
using FuncSessions.Http;
using FuncSessions.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncSessions.Functions.Tests;

/// <summary>The app, built by its own Program against Azurite, answers through its functions with the library's results.</summary>
public sealed class FunctionsAppTests(RunningFunctionsApp app) : IClassFixture<RunningFunctionsApp>
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public void Program_asks_for_the_ASP_NET_Core_integration_the_HttpRequest_triggers_need()
    {
        // Note: the worker tells the host to proxy HTTP requests to it (and so bind HttpRequest/IResult) only when this
        // capability is set, which ConfigureFunctionsWebApplication does.
        var capabilities = app.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities;
        Assert.True(capabilities.ContainsKey("HttpUri"), string.Join(", ", capabilities.Keys));
    }

    [Fact]
    public async Task Every_http_function_returns_what_the_library_handler_returns_for_the_same_request()
    {
        foreach (var route in AuthRoutes.All)
        {
            var function = FunctionCatalog.Named(route.Name);
            var routeValues = new Dictionary<string, string> { ["id"] = "not-a-session", ["provider"] = "not-a-provider" };

            var viaFunction = await app.InvokeAsync(function, RunningFunctionsApp.Request(route.Method, "/api/" + route.Template, json: "{}"), routeValues);

            var direct = RunningFunctionsApp.Request(route.Method, "/api/" + route.Template, json: "{}");
            foreach (var (name, value) in routeValues)
            {
                direct.Request.RouteValues[name] = value;
            }

            await using var scope = app.Services.CreateAsyncScope();
            direct.RequestServices = scope.ServiceProvider;
            await (await route.Invoke(scope.ServiceProvider, direct)).ExecuteAsync(direct);
            var viaLibrary = await FunctionResponse.ReadAsync(direct);

            Assert.True(viaLibrary.Status == viaFunction.Status, $"{route.Name}: {viaFunction.Status} via the function, {viaLibrary.Status} via the library");
            Assert.Equal(viaLibrary.Body, viaFunction.Body);
        }
    }

    [Fact]
    public async Task A_user_signs_up_logs_in_validates_refreshes_lists_revokes_and_logs_out_through_the_functions()
    {
        var username = "fn" + Guid.NewGuid().ToString("N")[..8];
        var credentials = $$"""{"username":"{{username}}","password":"{{Password}}"}""";

        var registered = await Call("Register", HttpMethods.Post, AuthRoutes.Register, credentials);
        Assert.InRange(registered.Status, 200, 299);

        var login = await Call("Login", HttpMethods.Post, AuthRoutes.Login, credentials);
        Assert.Equal(StatusCodes.Status200OK, login.Status);
        Assert.Contains(login.SetCookies, c => c.StartsWith("__Host-fs-at=", StringComparison.Ordinal));

        var validate = await Call("Validate", HttpMethods.Get, AuthRoutes.Validate, cookie: login.CookieHeader);
        Assert.Equal(StatusCodes.Status200OK, validate.Status);
        Assert.Equal(username, validate.Json.GetProperty("username").GetString());

        var second = await Call("Login", HttpMethods.Post, AuthRoutes.Login, credentials);
        var list = await Call("ListSessions", HttpMethods.Get, AuthRoutes.Sessions, cookie: login.CookieHeader);
        Assert.Equal(StatusCodes.Status200OK, list.Status);
        var sessions = list.Json.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        var other = sessions.Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;

        var refreshed = await Call("Refresh", HttpMethods.Post, AuthRoutes.Refresh, "{}", second.CookieHeader);
        Assert.Equal(StatusCodes.Status200OK, refreshed.Status);

        var revoked = await Call("RevokeSession", HttpMethods.Delete, AuthRoutes.SessionById, cookie: login.CookieHeader, id: other);
        Assert.Equal(StatusCodes.Status204NoContent, revoked.Status);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Call("Validate", HttpMethods.Get, AuthRoutes.Validate, cookie: refreshed.CookieHeader)).Status);

        var jwks = await Call("Jwks", HttpMethods.Get, AuthRoutes.Jwks);
        Assert.NotEmpty(jwks.Json.GetProperty("keys").EnumerateArray());

        var logout = await Call("Logout", HttpMethods.Post, AuthRoutes.Logout, "{}", login.CookieHeader);
        Assert.Equal(StatusCodes.Status204NoContent, logout.Status);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Call("Validate", HttpMethods.Get, AuthRoutes.Validate, cookie: login.CookieHeader)).Status);
    }

    [Fact]
    public async Task The_timer_function_deletes_expired_sessions_and_keeps_live_ones()
    {
        var store = app.Services.GetRequiredService<ISessionStore>();
        var now = DateTimeOffset.UtcNow;
        var expired = await store.CreateAsync(NewSession(createdAt: now.AddDays(-40), expiresAt: now.AddHours(-2)), CancellationToken.None);
        var live = await store.CreateAsync(NewSession(createdAt: now, expiresAt: now.AddDays(7)), CancellationToken.None);

        await using var scope = app.Services.CreateAsyncScope();
        var sweep = ActivatorUtilities.CreateInstance<SweepFunction>(scope.ServiceProvider);
        await sweep.Run(new TimerInfo { IsPastDue = false }, CancellationToken.None);

        Assert.Null(await store.FindAsync(expired.UserId, expired.SessionId, CancellationToken.None));
        Assert.NotNull(await store.FindAsync(live.UserId, live.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task The_timer_function_honours_cancellation()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sweep = ActivatorUtilities.CreateInstance<SweepFunction>(scope.ServiceProvider);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep.Run(new TimerInfo(), cancelled.Token));
    }

    [Fact]
    public async Task Admin_functions_leave_the_key_check_to_the_Functions_host_and_find_and_disable_a_user()
    {
        // Note: the worker is invoked as the host invokes it after checking the key (AuthorizationLevel.Function), so the
        // self-host's own key check (404 here: no FuncSessions:Admin:Keys) must not run.
        var username = "fa" + Guid.NewGuid().ToString("N")[..8];
        var credentials = $$"""{"username":"{{username}}","password":"{{Password}}"}""";
        Assert.InRange((await Call("Register", HttpMethods.Post, AuthRoutes.Register, credentials)).Status, 200, 299);
        var login = await Call("Login", HttpMethods.Post, AuthRoutes.Login, credentials);

        var found = await Call("AdminFindUser", HttpMethods.Post, AdminRoutes.FindUser, $$"""{"username":"{{username}}"}""");
        var userId = found.Json.GetProperty("userId").GetString();
        var disabled = await Call("AdminDisableUser", HttpMethods.Post, AdminRoutes.DisableUser, $$"""{"userId":"{{userId}}"}""");

        Assert.Equal(StatusCodes.Status200OK, found.Status);
        Assert.Equal(StatusCodes.Status200OK, disabled.Status);
        Assert.Equal(1, disabled.Json.GetProperty("sessionsEnded").GetInt32());
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Call("Validate", HttpMethods.Get, AuthRoutes.Validate, cookie: login.CookieHeader)).Status);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Call("Login", HttpMethods.Post, AuthRoutes.Login, credentials)).Status);
    }

    private Task<FunctionResponse> Call(string function, string method, string template, string? json = null, string? cookie = null, string? id = null) =>
        app.InvokeAsync(
            FunctionCatalog.Named(function),
            RunningFunctionsApp.Request(method, "/api/" + template.Replace("{id}", id, StringComparison.Ordinal), json, cookie),
            id is null ? null : new Dictionary<string, string> { ["id"] = id });

    private static Session NewSession(DateTimeOffset createdAt, DateTimeOffset expiresAt) => new()
    {
        UserId = SecureIds.NewId(),
        SessionId = SecureIds.NewId(),
        Username = "sweep",
        CreatedAt = createdAt,
        LastSeenAt = createdAt,
        IdleExpiresAt = expiresAt,
        AbsoluteExpiresAt = expiresAt,
        RefreshTokenHash = SecureIds.Hash(SecureIds.NewId()),
    };
}
