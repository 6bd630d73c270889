using System.Diagnostics;
using FuncSessions.Passwords;
using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.Extensions.Options;

namespace FuncSessions.Host;

/// <summary>
/// The self-host's admin commands: <c>new-signing-key</c>, <c>add-user &lt;name&gt;</c> (password on standard input) and
/// <c>measure-hash</c>. They run on a plain generic host, never a web server: an admin command binds no port, so it works
/// while the server holds 7071. They read the settings the server reads under <c>scripts/run-local.sh</c>
/// (<see cref="LocalSettingsFiles"/>), then environment variables and the command line.
/// </summary>
public static class AdminCommands
{
    /// <summary>
    /// The command's exit code, or null when <paramref name="args"/> names no command: only settings
    /// (<c>--name value</c> or <c>name=value</c>), and then the server runs.
    /// </summary>
    public static async Task<int?> TryRunAsync(string[] args, CancellationToken cancellationToken) => args switch
    {
        ["new-signing-key", ..] => NewSigningKey(),
        ["add-user", var username, .. var rest] when !username.StartsWith('-') => await AddUserAsync(username, rest, cancellationToken),
        ["measure-hash", .. var rest] => MeasureHash(rest),
        [var first, ..] when !first.StartsWith('-') && !first.Contains('=', StringComparison.Ordinal) => await UnknownAsync(first),
        _ => null,
    };

    // Note: a mistyped command must not start the server (which would then hold the port, or fail on it).
    private static async Task<int> UnknownAsync(string command)
    {
        await Console.Error.WriteLineAsync(
            (command == "add-user" ? "add-user needs a username." : $"Unknown command '{command}'.") +
            " Commands: new-signing-key, add-user <username> (password on standard input), measure-hash;" +
            " with settings only (--name value), the server runs.");
        return 2;
    }

    /// <summary>The commands' host: FuncSessions' services and settings, no server, no sweep; output on stdout, logs on stderr.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args, string directory)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = directory });
        var settings = LocalSettingsFiles.Choose(builder.Configuration[LocalSettingsFiles.SettingName], directory);
        builder.Configuration.Sources.Insert(0, new LocalSettingsConfigurationSource(settings));
        builder.Configuration.Sources.Insert(1, new LocalSettingsConfigurationSource(Path.Combine(directory, LocalSettingsFiles.RunLocalStorage)));
        builder.Logging.AddFilter(null, LogLevel.Warning);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // Note: a command is over once it has started, so the gate never opens: a failure is printed as one line by SelfHost.
        new StartupLogGate().AddTo(builder.Logging, LogLevel.Warning);
        builder.Services.AddFuncSessions(builder.Configuration);
        return builder;
    }

    private static int NewSigningKey()
    {
        Console.WriteLine(SigningKeyRing.NewPrivateKey());
        return 0;
    }

    /// <summary>Times both password-hash algorithms at the configured cost on one core, to choose the settings for a plan.</summary>
    private static int MeasureHash(string[] args)
    {
        using var host = CreateBuilder(args, Directory.GetCurrentDirectory()).Build();
        foreach (var line in PasswordHashMeasurement.Run(host.Services.GetRequiredService<IOptions<PasswordOptions>>().Value))
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    private static async Task<int> AddUserAsync(string username, string[] args, CancellationToken cancellationToken)
    {
        using var host = CreateBuilder(args, Directory.GetCurrentDirectory()).Build();
        // Note: starting the host validates the options, loads the signing key and creates missing tables, as the server does.
        await host.StartAsync(cancellationToken);
        try
        {
            // Note: the password comes from standard input, never from the command line, where it would land in shell history.
            var password = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r') ?? "";
            if (host.Services.GetRequiredService<PasswordPolicy>().Check(password, username) is var (_, detail))
            {
                await Console.Error.WriteLineAsync(detail);
                return 2;
            }

            var (outcome, user) = await host.Services.GetRequiredService<UserAccounts>().RegisterAsync(username, password, cancellationToken);
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
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
