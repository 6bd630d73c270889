using Microsoft.Extensions.Logging;

namespace FuncSessions.Admin;

/// <summary>
/// The admin API's audit events and the housekeeping events that came with it (ids 9001-9099): each names the admin key that acted (its configured name, or the
/// Functions host's key id), never the key, and the user by its log hash (<see cref="Sessions.LogHash"/>).
/// </summary>
internal static partial class AdminLog
{
    [LoggerMessage(9001, LogLevel.Information, "Admin {KeyName} looked up a user by {LookupBy}: {UserHash}", EventName = "AdminUserLookedUp")]
    public static partial void AdminUserLookedUp(this ILogger logger, string keyName, string lookupBy, string? userHash);

    [LoggerMessage(9002, LogLevel.Warning, "Admin {KeyName} disabled user {UserHash}; {SessionsEnded} sessions ended", EventName = "AdminUserDisabled")]
    public static partial void AdminUserDisabled(this ILogger logger, string keyName, string userHash, int sessionsEnded);

    [LoggerMessage(9003, LogLevel.Warning, "Admin {KeyName} enabled user {UserHash}", EventName = "AdminUserEnabled")]
    public static partial void AdminUserEnabled(this ILogger logger, string keyName, string userHash);

    [LoggerMessage(9004, LogLevel.Warning, "Admin {KeyName} deleted user {UserHash} (account found: {Existed}); {SessionsEnded} sessions ended", EventName = "AdminUserDeleted")]
    public static partial void AdminUserDeleted(this ILogger logger, string keyName, string userHash, bool existed, int sessionsEnded);

    [LoggerMessage(9005, LogLevel.Warning, "Admin {KeyName} ended the sessions of user {UserHash}: {SessionsEnded}", EventName = "AdminUserSessionsEnded")]
    public static partial void AdminUserSessionsEnded(this ILogger logger, string keyName, string userHash, int sessionsEnded);

    [LoggerMessage(9006, LogLevel.Warning, "Admin {KeyName} ended every session: {SessionsEnded}", EventName = "AdminAllSessionsEnded")]
    public static partial void AdminAllSessionsEnded(this ILogger logger, string keyName, int sessionsEnded);

    [LoggerMessage(9007, LogLevel.Warning, "Admin request refused ({Reason}) for {Method} {Path} from {IpAddress}", EventName = "AdminKeyRejected")]
    public static partial void AdminKeyRejected(this ILogger logger, string reason, string method, string path, string? ipAddress);

    [LoggerMessage(9020, LogLevel.Information, "Sweep deleted {ThrottlesDeleted} expired throttle rows", EventName = "ThrottleSweepCompleted")]
    public static partial void ThrottleSweepCompleted(this ILogger logger, int throttlesDeleted);

    [LoggerMessage(9021, LogLevel.Information, "Sweep deleted {ChallengeMarkersDeleted} spent-challenge markers of expired challenges", EventName = "ChallengeMarkerSweepCompleted")]
    public static partial void ChallengeMarkerSweepCompleted(this ILogger logger, int challengeMarkersDeleted);

    /// <summary>The right password for a disabled account: the caller got the wrong-password answer.</summary>
    [LoggerMessage(9010, LogLevel.Warning, "Login refused for disabled account {UserHash} (client {IpAddress}, {UserAgent})", EventName = "LoginToDisabledAccount")]
    public static partial void LoginToDisabledAccount(this ILogger logger, string userHash, string? ipAddress, string? userAgent);
}
