using Microsoft.Extensions.Logging;

namespace FuncSessions;

/// <summary>
/// Every security event FuncSessions logs, with stable event ids. Arguments are hashes (see
/// <see cref="Sessions.LogHash"/>), never tokens, passwords or raw ids.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "User registered {UserHash}", EventName = "UserRegistered")]
    public static partial void UserRegistered(this ILogger logger, string userHash);

    [LoggerMessage(1002, LogLevel.Information, "Login succeeded for {UserHash}", EventName = "LoginSucceeded")]
    public static partial void LoginSucceeded(this ILogger logger, string userHash);

    [LoggerMessage(1003, LogLevel.Warning, "Login failed for {UserHash}", EventName = "LoginFailed")]
    public static partial void LoginFailed(this ILogger logger, string? userHash);

    [LoggerMessage(1004, LogLevel.Information, "Password hash upgraded for {UserHash}", EventName = "PasswordRehashed")]
    public static partial void PasswordRehashed(this ILogger logger, string userHash);

    [LoggerMessage(1005, LogLevel.Information, "Password changed for {UserHash}", EventName = "PasswordChanged")]
    public static partial void PasswordChanged(this ILogger logger, string userHash);

    [LoggerMessage(2001, LogLevel.Information, "Session created {SessionHash}", EventName = "SessionCreated")]
    public static partial void SessionCreated(this ILogger logger, string sessionHash);

    [LoggerMessage(2002, LogLevel.Information, "Session refreshed {SessionHash} generation {Generation}", EventName = "SessionRefreshed")]
    public static partial void SessionRefreshed(this ILogger logger, string sessionHash, long generation);

    [LoggerMessage(2003, LogLevel.Information, "Refresh race joined the rotation of {SessionHash} generation {Generation}", EventName = "SessionRefreshRaceJoined")]
    public static partial void SessionRefreshRaceJoined(this ILogger logger, string sessionHash, long generation);

    [LoggerMessage(2004, LogLevel.Warning, "Refresh token reuse detected; session {SessionHash} revoked (client {IpAddress})", EventName = "RefreshReuseDetected")]
    public static partial void RefreshReuseDetected(this ILogger logger, string sessionHash, string? ipAddress);

    [LoggerMessage(2005, LogLevel.Information, "Session revoked {SessionHash}", EventName = "SessionRevoked")]
    public static partial void SessionRevoked(this ILogger logger, string sessionHash);

    [LoggerMessage(2006, LogLevel.Information, "{Count} sessions revoked for {UserHash}", EventName = "SessionsRevokedForUser")]
    public static partial void SessionsRevokedForUser(this ILogger logger, string userHash, int count);

    [LoggerMessage(3001, LogLevel.Information, "Sweep finished: {Deleted} expired sessions deleted, {AlreadyGone} already gone, {StillLive} still live and re-indexed", EventName = "SweepCompleted")]
    public static partial void SweepCompleted(this ILogger logger, int deleted, int alreadyGone, int stillLive);

    [LoggerMessage(4001, LogLevel.Error, "Table storage unavailable; request failed closed", EventName = "StorageUnavailable")]
    public static partial void StorageUnavailable(this ILogger logger, Exception exception);

    [LoggerMessage(7001, LogLevel.Information, "Session data updated {SessionHash}: {KeyCount} keys patched after {LostRounds} lost compare-and-swaps", EventName = "SessionDataUpdated")]
    public static partial void SessionDataUpdated(this ILogger logger, string sessionHash, int keyCount, int lostRounds);

    [LoggerMessage(7002, LogLevel.Warning, "Session data update of {SessionHash} gave up after {Rounds} lost compare-and-swaps", EventName = "SessionDataUpdateConflict")]
    public static partial void SessionDataUpdateConflict(this ILogger logger, string sessionHash, int rounds);
}
