using FuncSessions.Http;
using FuncSessions.Tokens;
using FuncSessions.Users;
using FuncSessions.Passwords;
using Microsoft.Extensions.FileProviders;

namespace FuncSessions.Host;

/// <summary>
/// The self-host: the same handlers as the Functions app, on Kestrel, at http://localhost:7071/api (the address
/// <c>func start</c> uses), with the sweep on the same schedule. Tests build it exactly as <c>Program</c> does.
/// </summary>
public static class SelfHost
{
    public const string DefaultUrl = "http://localhost:7071";

    public static async Task<int> RunAsync(string[] args)
    {
        switch (args)
        {
            case ["new-signing-key"]:
                Console.WriteLine(SigningKeyRing.NewPrivateKey());
                return 0;
            case ["add-user", var username, ..]:
                return await AddUserAsync(username, args[2..]);
            case ["measure-hash", ..]:
                return MeasureHash(args[1..]);
            default:
                await using (var app = Build(CreateBuilder(args)))
                {
                    await app.RunAsync();
                }

                return 0;
        }
    }

    /// <summary>Configuration as the Functions host would see it: <c>local.settings.json</c> "Values", then the usual sources.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var localSettings = builder.Configuration["LocalSettingsFile"] ?? "local.settings.json";
        builder.Configuration.Sources.Insert(0, new LocalSettingsConfigurationSource(localSettings));
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
        // Note: the same allowlist the library's origin check uses; exact origins with credentials, never "*". In Azure the
        // platform's CORS (siteConfig.cors) does this instead: never both.
        var allowedOrigins = builder.Configuration.GetSection(HttpOptions.SectionName).Get<HttpOptions>()?.AllowedOriginList() ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. allowedOrigins])
            .AllowCredentials()
            .WithMethods([.. AuthRoutes.All.Select(r => r.Method).Distinct()])
            .WithHeaders("Content-Type", "Authorization")
            .WithExposedHeaders(ResponseHeaders.Exposed)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        var app = builder.Build();
        app.UseCors();

        var api = app.MapGroup("/" + AuthRoutes.Prefix);
        foreach (var route in AuthRoutes.All)
        {
            api.MapMethods(route.Template, [route.Method], (Func<HttpContext, Task<IResult>>)(context => route.Invoke(context.RequestServices, context)))
                .WithName(route.Name);
        }

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

    /// <summary>Times both password-hash algorithms at the configured cost on one core, to choose the settings for a plan.</summary>
    private static int MeasureHash(string[] args)
    {
        var builder = CreateBuilder(args);
        builder.Services.AddFuncSessions(builder.Configuration);
        using var app = builder.Build();
        foreach (var line in PasswordHashMeasurement.Run(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PasswordOptions>>().Value))
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    private static async Task<int> AddUserAsync(string username, string[] args)
    {
        var builder = CreateBuilder(args);
        builder.Services.AddFuncSessions(builder.Configuration);
        await using var app = builder.Build();
        await app.StartAsync();

        // Note: the password comes from standard input, never from the command line, where it would land in shell history.
        var password = (await Console.In.ReadLineAsync())?.TrimEnd('\r') ?? "";
        if (app.Services.GetRequiredService<PasswordPolicy>().Check(password, username) is var (_, detail))
        {
            await Console.Error.WriteLineAsync(detail);
            return 2;
        }

        var (outcome, user) = await app.Services.GetRequiredService<UserAccounts>().RegisterAsync(username, password, CancellationToken.None);
        await app.StopAsync();
        switch (outcome)
        {
            case RegistrationOutcome.Created:
                Console.WriteLine($"Created user '{user!.Username}' ({user.UserId}).");
                return 0;
            case RegistrationOutcome.UsernameTaken:
                await Console.Error.WriteLineAsync($"The username '{username}' is taken.");
                return 1;
            default:
                await Console.Error.WriteLineAsync("The username is not acceptable: 1 to 64 characters without spaces or control characters.");
                return 2;
        }
    }
}
