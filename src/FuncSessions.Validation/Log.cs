using Microsoft.Extensions.Logging;

namespace FuncSessions.Validation;

/// <summary>Events of the verifier, ids 7100–7199. Never a token; session ids only as hashes.</summary>
internal static partial class Log
{
    [LoggerMessage(7101, LogLevel.Information, "Fetched {KeyCount} signing keys from {JwksUri}", EventName = "KeySetFetched")]
    public static partial void KeySetFetched(this ILogger logger, int keyCount, Uri jwksUri);

    [LoggerMessage(7102, LogLevel.Warning, "Fetching signing keys from {JwksUri} failed; keeping the {KeyCount} keys held", EventName = "KeySetFetchFailed")]
    public static partial void KeySetFetchFailed(this ILogger logger, Uri jwksUri, int keyCount, Exception exception);

    [LoggerMessage(7103, LogLevel.Debug, "Token refused: {Reason}", EventName = "TokenRefused")]
    public static partial void TokenRefused(this ILogger logger, string reason);

    [LoggerMessage(7104, LogLevel.Warning, "Strict-mode session check failed; request refused (fail closed)", EventName = "StrictCheckFailed")]
    public static partial void StrictCheckFailed(this ILogger logger, Exception exception);

    [LoggerMessage(7105, LogLevel.Information, "Strict mode: session {SessionHash} is no longer live", EventName = "StrictSessionEnded")]
    public static partial void StrictSessionEnded(this ILogger logger, string sessionHash);
}
