using System.Text.RegularExpressions;
using Azure;
using FuncSessions.Http;
using FuncSessions.Passwords;
using FuncSessions.Sessions;
using SessionOptions = FuncSessions.Sessions.SessionOptions;
using FuncSessions.Storage;
using FuncSessions.Throttling;
using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace FuncSessions.Host;

/// <summary>
/// Turns what stops the server or an admin command at start-up (a bad setting, a missing signing key, a busy port,
/// unreachable storage) into one line for the console that names the setting or the port, instead of a stack trace.
/// Anything else is a bug and keeps its stack trace.
/// </summary>
public static partial class StartupFailure
{
    /// <summary>The line to print, or null when <paramref name="exception"/> is not a start-up failure of configuration or environment.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions: [var only] } => Describe(only),
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is RequestFailedException) => Describe(aggregate.InnerExceptions[^1]),
        OptionsValidationException options => string.Join(Environment.NewLine, options.Failures.Select(f => DescribeFailure(options.OptionsType, f))),
        IOException { InnerException: AddressInUseException } busy => DescribeBusyPort(busy.Message),
        RequestFailedException storage =>
            $"Table Storage failed at start-up ({FirstLine(storage.Message)}): check {StorageOptions.SectionName.Replace(":", "__", StringComparison.Ordinal)}__Connection " +
            "and the connection setting it names (AzureWebJobsStorage by default); locally, ./scripts/run-local.sh starts Azurite.",
        InvalidOperationException invalid => "Start-up failed: " + FirstLine(invalid.Message),
        _ => null,
    };

    private static string DescribeFailure(Type optionsType, string failure)
    {
        var section = SectionOf(optionsType);
        if (section is null || DataAnnotationFailure().Match(failure) is not { Success: true } match)
        {
            // Note: the library's own rules already name the setting in their message.
            return "Invalid setting: " + failure;
        }

        var setting = optionsType == typeof(SweepOptions)
            ? SweepOptions.ScheduleSettingName
            : string.Join(", ", match.Groups["members"].Value.Split(',', StringSplitOptions.TrimEntries).Select(m => EnvironmentName(section + ":" + m)));
        return $"Invalid setting {setting}: {match.Groups["error"].Value}";
    }

    private static string? SectionOf(Type optionsType) => optionsType.Name switch
    {
        nameof(StorageOptions) => StorageOptions.SectionName,
        nameof(TokenOptions) => TokenOptions.SectionName,
        nameof(SessionOptions) => SessionOptions.SectionName,
        nameof(PasswordOptions) => PasswordOptions.SectionName,
        nameof(UserOptions) => UserOptions.SectionName,
        nameof(HttpOptions) => HttpOptions.SectionName,
        nameof(ThrottleOptions) => ThrottleOptions.SectionName,
        nameof(SweepOptions) => SweepOptions.ScheduleSettingName,
        _ => null,
    };

    private static string DescribeBusyPort(string message)
    {
        var port = BoundPort().Match(message) is { Success: true } match ? match.Groups["port"].Value : "the port";
        return $"Port {port} is already in use ({FirstLine(message)}). Stop what holds it, or choose another address with " +
            "--urls, e.g. ./scripts/run-local.sh --urls http://localhost:7080";
    }

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    // Note: the form of DataAnnotationValidateOptions' failures: "DataAnnotation validation failed for 'X' members: 'A' with the error: '...'."
    [GeneratedRegex(@"members: '(?<members>[^']+)' with the error: '(?<error>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex(@"https?://[^\s/]*:(?<port>\d+)")]
    private static partial Regex BoundPort();
}
