using System.Text;
using System.Text.Json;
using FuncSessions.Functions;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FuncSessions.Functions.Tests.Infrastructure;

/// <summary>
/// The app as its own Program builds it (the real <c>FunctionsApplication</c> builder, see <see cref="ProgramHost"/>)
/// against a real Azurite (tables and queues) with email switched on through a real SMTP server (<see cref="SmtpCatcher"/>), with settings passed the way the Functions host passes app settings. The worker's gRPC
/// link to the Functions host is not started; the app's own start-up work (signing keys, tables) is. Functions are
/// invoked as the worker does: the class is created per invocation from a DI scope, the trigger gets the request of a
/// real <see cref="DefaultHttpContext"/>, and the returned <see cref="IResult"/> is executed against that context.
/// </summary>
public sealed class RunningFunctionsApp : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;

    private readonly string _keyDirectory = Path.Combine(Path.GetTempPath(), "funcsessions-tests", Guid.NewGuid().ToString("N"));

    public IHost Host { get; private set; } = null!;

    public SmtpCatcher Smtp { get; private set; } = null!;

    /// <summary>The page the mail links point to.</summary>
    public const string LinkBaseUrl = "https://app.funcsessions.test/";

    public IServiceProvider Services => Host.Services;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        Smtp = await SmtpCatcher.StartAsync();
        var keyFile = Path.Combine(_keyDirectory, "key.json");
        string[] args =
        [
            $"--AzureWebJobsStorage={_azurite.ConnectionString}",
            "--FuncSessions:Storage:TablePrefix=F" + Guid.NewGuid().ToString("N")[..12],
            $"--FuncSessions:Tokens:DevelopmentKeyFile={keyFile}",
            "--FuncSessions:Tokens:Issuer=https://funcsessions.test/api",
            "--FuncSessions:Http:AllowedOrigins=" + AllowedOrigin,
            "--FuncSessionsSweepSchedule=0 */15 * * * *",
            "--FuncSessionsMailQueue=fmail" + Guid.NewGuid().ToString("N")[..12],
            "--FuncSessions:Email:Smtp:Host=127.0.0.1",
            "--FuncSessions:Email:Smtp:Port=" + Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--FuncSessions:Email:Smtp:Security=None",
            "--FuncSessions:Email:LinkBaseUrl=" + LinkBaseUrl,
            "--FuncSessions:Email:FromAddress=no-reply@funcsessions.test",
            "--Logging:LogLevel:Default=Warning",
        ];

        Host = await ProgramHost.BuildAsync(typeof(AuthFunctions).Assembly, args);
        // Note: the app's start-up work, from the app's own registrations; resolving every IHostedService would also
        // create the worker's gRPC client, which needs the host's endpoint.
        await ActivatorUtilities.CreateInstance<StartupInitializer>(Services).StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Smtp.DisposeAsync();
        await _azurite.DisposeAsync();
        if (Directory.Exists(_keyDirectory))
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }
    }

    /// <summary>The one origin the app's allowlist holds.</summary>
    public const string AllowedOrigin = "https://app.funcsessions.test";

    public static DefaultHttpContext Request(string method, string path, string? json = null, string? cookie = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("funcsessions.test");
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        if (json is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
            context.Request.ContentLength = context.Request.Body.Length;
        }

        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>Invokes one function method with the context's request (and route values), as the runtime would.</summary>
    public async Task<FunctionResponse> InvokeAsync(IndexedFunction function, DefaultHttpContext context, IReadOnlyDictionary<string, string>? routeValues = null)
    {
        await using var scope = Services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
        var arguments = function.Method.GetParameters()
            .Select(p => p.ParameterType == typeof(HttpRequest) ? context.Request : (object?)routeValues?[p.Name!])
            .ToArray();
        var result = await (Task<IResult>)function.Method.Invoke(instance, arguments)!;
        await result.ExecuteAsync(context);
        return await FunctionResponse.ReadAsync(context);
    }
}

public sealed record FunctionResponse(int Status, string Body, IReadOnlyList<string> SetCookies, IHeaderDictionary Headers)
{
    /// <summary>Ends the response as the host does when the function returns (buffered body flushed), then reads it.</summary>
    public static async Task<FunctionResponse> ReadAsync(HttpContext context)
    {
        await context.Response.CompleteAsync();
        context.Response.Body.Position = 0;
        var body = new StreamReader(context.Response.Body).ReadToEnd();
        return new FunctionResponse(context.Response.StatusCode, body, context.Response.Headers.SetCookie.Select(c => c!).ToList(), context.Response.Headers);
    }

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The request Cookie header a browser would send back after this response.</summary>
    public string CookieHeader => string.Join("; ", SetCookies.Select(c => c.Split(';')[0]).Where(c => !c.EndsWith('=')));
}
