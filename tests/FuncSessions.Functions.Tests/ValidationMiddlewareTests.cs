using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Validation;
using FuncSessions.Validation.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using FuncSessions.Functions.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ProtectedFunction;

namespace FuncSessions.Functions.Tests;

/// <summary>
/// Another team's Functions app protected with one registration line: tokens issued by a real self-host (on Azurite)
/// verified by the worker middleware, invoked through the pipeline that the real worker builder
/// (<see cref="FunctionsApplication.CreateBuilder(string[])"/>) composed from the registration.
/// </summary>
public sealed class ValidationMiddlewareTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;
    private SelfHostServer _auth = null!;
    private IHost _worker = null!;
    private IServiceProvider _services = null!;
    private FunctionExecutionDelegate _pipeline = null!;
    private FunctionContext? _seenByFunction;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _auth = await SelfHostServer.StartAsync(_azurite, new Dictionary<string, string?> { ["FuncSessions:Http:TokenTransport"] = "Bearer" });

        var worker = FunctionsApplication.CreateBuilder([]);
        worker.Services.AddSingleton<TimeProvider>(_auth.Time);
        worker.UseFuncSessionsAuthentication(o =>
        {
            o.Authority = _auth.BaseAddress;
            o.Issuer = "https://funcsessions.test/api";
        });
        // Note: this plays the function. It ends the pipeline, so the worker's own binding and execution middleware,
        // which Build() appends after it, is never reached: there is no function definition for it to run.
        worker.Use(_ => context =>
        {
            _seenByFunction = context;
            return Task.CompletedTask;
        });
        _worker = worker.Build();
        _services = _worker.Services;
        _pipeline = _services.GetRequiredService<FunctionExecutionDelegate>();
    }

    public async Task DisposeAsync()
    {
        _worker.Dispose();
        await _auth.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_access_token_makes_its_session_the_invocations_caller()
    {
        var (token, userId, sessionId) = await SignInAsync();

        var context = await InvokeAsync(bearer: token);

        var caller = context.GetFuncSessionsIdentity();
        Assert.NotNull(caller);
        Assert.Equal(userId, caller.UserId);
        Assert.Equal(sessionId, caller.SessionId);
        Assert.True(((DefaultHttpContext)context.GetHttpContext()!).User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task The_access_token_cookie_is_read_too()
    {
        var (token, userId, _) = await SignInAsync();

        var context = await InvokeAsync(cookie: $"{FuncSessionsTokenReader.AccessTokenCookie}={token}");

        Assert.Equal(userId, context.GetFuncSessionsIdentity()?.UserId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    public async Task Without_a_valid_token_the_function_still_runs_without_a_caller(string? token)
    {
        var context = await InvokeAsync(bearer: token);

        Assert.Same(context, _seenByFunction);
        Assert.Null(context.GetFuncSessionsIdentity());
        Assert.False(context.GetHttpContext()!.User.Identity?.IsAuthenticated ?? false);
    }

    [Fact]
    public async Task A_tampered_token_is_refused()
    {
        var (token, _, _) = await SignInAsync();
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";

        var context = await InvokeAsync(bearer: tampered);

        Assert.Null(context.GetFuncSessionsIdentity());
    }

    [Fact]
    public async Task Non_http_invocations_pass_through()
    {
        var context = new TestFunctionContext(_services, new Dictionary<object, object>());

        await _pipeline(context);

        Assert.Same(context, _seenByFunction);
        Assert.Null(context.GetFuncSessionsIdentity());
    }

    [Fact]
    public async Task The_sample_apps_Program_registers_the_middleware_with_its_settings()
    {
        using var sample = await ProgramHost.BuildAsync(
            typeof(WhoAmIFunction).Assembly,
            [$"--FuncSessions:Authority={_auth.BaseAddress}", "--FuncSessions:Issuer=https://funcsessions.test/api"]);

        Assert.NotNull(sample.Services.GetService<FuncSessionsFunctionsMiddleware>());
        var options = sample.Services.GetRequiredService<IOptions<FuncSessionsVerifierOptions>>().Value;
        Assert.Equal(_auth.BaseAddress, options.Authority);
        Assert.Equal("https://funcsessions.test/api", options.Issuer);
    }

    [Fact]
    public async Task The_sample_function_answers_its_caller_and_401_without_one()
    {
        var (token, userId, sessionId) = await SignInAsync();
        var signedIn = await InvokeAsync(bearer: token);
        var anonymous = await InvokeAsync(bearer: null);

        var ok = Assert.IsType<OkObjectResult>(new WhoAmIFunction().Run(signedIn.GetHttpContext()!.Request, signedIn));
        Assert.Contains(userId, System.Text.Json.JsonSerializer.Serialize(ok.Value), StringComparison.Ordinal);
        Assert.Contains(sessionId, System.Text.Json.JsonSerializer.Serialize(ok.Value), StringComparison.Ordinal);
        Assert.IsType<UnauthorizedResult>(new WhoAmIFunction().Run(anonymous.GetHttpContext()!.Request, anonymous));
    }

    private const string HttpContextKey = "HttpRequestContext";

    private async Task<(string Token, string UserId, string SessionId)> SignInAsync()
    {
        using var client = _auth.CreateClient();
        var username = "mw" + Guid.NewGuid().ToString("N")[..10];
        var credentials = new { username, password = "correct horse battery staple" };
        using (var registered = await client.PostAsync("/api/auth/register", credentials))
        {
            Assert.True(registered.IsSuccessStatusCode);
        }

        using var login = await client.PostAsync("/api/auth/login", credentials);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.JsonAsync();
        return (body["accessToken"]!.GetValue<string>(), body["userId"]!.GetValue<string>(), body["sessionId"]!.GetValue<string>());
    }

    private async Task<FunctionContext> InvokeAsync(string? bearer = null, string? cookie = null)
    {
        var http = new DefaultHttpContext { RequestServices = _services };
        if (bearer is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + bearer;
        }

        if (cookie is not null)
        {
            http.Request.Headers.Cookie = cookie;
        }

        var context = new TestFunctionContext(_services, new Dictionary<object, object> { [HttpContextKey] = http });
        Assert.Same(http, context.GetHttpContext());
        await _pipeline(context);
        return context;
    }

    /// <summary>
    /// An invocation as the worker's ASP.NET Core integration hands it to middleware: its HttpContext in Items under
    /// the key that <see cref="FunctionContextExtensions.GetHttpContext"/> reads. The worker's own context type is
    /// internal; the middleware reads nothing else.
    /// </summary>
    private sealed class TestFunctionContext(IServiceProvider services, IDictionary<object, object> items) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString();

        public override string FunctionId => "WhoAmI";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = services;

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = items;

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }
}
