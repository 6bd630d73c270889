using FuncSessions.Http;
using Microsoft.Extensions.FileProviders;

namespace FuncSessions.Host;

/// <summary>
/// The self-host: the same handlers as the Functions app, on Kestrel, at http://localhost:7071/api (the address
/// <c>func start</c> uses), with the sweep on the same schedule. Tests build it exactly as <c>Program</c> does.
/// </summary>
public static class SelfHost
{
    public const string DefaultUrl = "http://localhost:7071";

    /// <summary>
    /// Runs an admin command (<see cref="AdminCommands"/>) or the server. A start-up failure of configuration or environment
    /// prints one line naming the setting or port and exits 1, instead of a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await AdminCommands.TryRunAsync(args, CancellationToken.None) ?? await ServeAsync(args);
        }
        catch (Exception e) when (StartupFailure.Describe(e) is { } message)
        {
            await Console.Error.WriteLineAsync(message);
            return 1;
        }
    }

    private static async Task<int> ServeAsync(string[] args)
    {
        var builder = CreateBuilder(args);
        var gate = new StartupLogGate();
        gate.AddTo(builder.Logging, LogLevel.Information);
        await using var app = Build(builder);
        await app.StartAsync();
        gate.Open();
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>
    /// Configuration as the Functions host would see it: the "Values" of <c>LocalSettingsFile</c>, else of
    /// <c>local.settings.json</c>, else of <c>local.settings.sample.json</c> (in the content root), then the usual sources.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var localSettings = LocalSettingsFiles.Choose(builder.Configuration[LocalSettingsFiles.SettingName], builder.Environment.ContentRootPath);
        builder.Configuration.Sources.Insert(0, new LocalSettingsConfigurationSource(localSettings));
        // Note: no "Server: Kestrel" on every answer: it names the server software to every scanner, and costs bytes on each.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddFuncSessions(builder.Configuration);
        builder.Services.AddHostedService<SweepBackgroundService>();
        builder.Services.AddFuncSessionsApiDocument();
        builder.AddFuncSessionsTelemetry();
        builder.Services.AddHostedService<FuncSessions.Email.MailQueueWorker>();
        // Note: the same allowlist the library's origin check uses; exact origins with credentials, never "*". In Azure the
        // platform's CORS (siteConfig.cors) does this instead: never both. Access-Control-Expose-Headers comes from the
        // library (ResponseHeaders.SetExposed) on both hosts, since the platform's CORS cannot send it.
        var allowedOrigins = builder.Configuration.GetSection(HttpOptions.SectionName).Get<HttpOptions>()?.AllowedOriginList() ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. allowedOrigins])
            .AllowCredentials()
            .WithMethods([.. AuthRoutes.All.Select(r => r.Method).Distinct()])
            .WithHeaders("Content-Type", "Authorization")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        var app = builder.Build();
        app.UseCors();

        // Note: the admin API's rows check the admin key themselves (AdminRoutes), so they map like the others.
        var api = app.MapGroup("/" + AuthRoutes.Prefix);
        foreach (var route in AuthRoutes.All.Concat(AdminRoutes.All))
        {
            api.MapMethods(route.Template, [route.Method], (Func<HttpContext, Task<IResult>>)(context => route.Invoke(context.RequestServices, context)))
                .WithName(route.Name)
                .Describe(route);
        }

        // Note: any other path or method under /api answers problem JSON, as the Functions app's catch-all function does,
        // instead of routing's bare 404 and 405.
        app.MapFallback("/" + AuthRoutes.Prefix + "/{**path}",
            (Func<HttpContext, Task<IResult>>)(context => context.RequestServices.GetRequiredService<ApiFallback>().HandleAsync(context)))
            .ExcludeFromDescription();

        // Note: local development serves the sample page from the same origin, so cookie mode works as deployed.
        var staticRoot = Path.GetFullPath(app.Configuration["FuncSessions:Host:StaticFiles"] ?? Path.Combine("samples", "static-site"));
        if (Directory.Exists(staticRoot))
        {
            var files = new PhysicalFileProvider(staticRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        return app;
    }
}
