using Microsoft.Extensions.Logging;

namespace FuncSessions;

/// <summary>
/// Every security event FuncSessions logs, with stable event ids. Arguments are hashes (see
/// <see cref="Sessions.LogHash"/>, keyed), never tokens, passwords or raw ids.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "User registered {UserHash}", EventName = "UserRegistered")]
    public static partial void UserRegistered(this ILogger logger, string userHash);

    [LoggerMessage(1002, LogLevel.Information, "Login succeeded for {UserHash} (client {IpAddress}, {UserAgent})", EventName = "LoginSucceeded")]
    public static partial void LoginSucceeded(this ILogger logger, string userHash, string? ipAddress, string? userAgent);

    /// <summary>A null user hash: no such account (the caller was told the same as for a wrong password).</summary>
    [LoggerMessage(1003, LogLevel.Warning, "Login failed for {UserHash} (client {IpAddress}, {UserAgent})", EventName = "LoginFailed")]
    public static partial void LoginFailed(this ILogger logger, string? userHash, string? ipAddress, string? userAgent);

    [LoggerMessage(1004, LogLevel.Information, "Password hash upgraded for {UserHash}", EventName = "PasswordRehashed")]
    public static partial void PasswordRehashed(this ILogger logger, string userHash);

    [LoggerMessage(1005, LogLevel.Information, "Password changed for {UserHash} (client {IpAddress}, {UserAgent})", EventName = "PasswordChanged")]
    public static partial void PasswordChanged(this ILogger logger, string userHash, string? ipAddress, string? userAgent);

    [LoggerMessage(2001, LogLevel.Information, "Session created {SessionHash}", EventName = "SessionCreated")]
    public static partial void SessionCreated(this ILogger logger, string sessionHash);

    [LoggerMessage(2002, LogLevel.Information, "Session refreshed {SessionHash} generation {Generation}", EventName = "SessionRefreshed")]
    public static partial void SessionRefreshed(this ILogger logger, string sessionHash, long generation);

    [LoggerMessage(2003, LogLevel.Information, "Refresh race joined the rotation of {SessionHash} generation {Generation}", EventName = "SessionRefreshRaceJoined")]
    public static partial void SessionRefreshRaceJoined(this ILogger logger, string sessionHash, long generation);

    [LoggerMessage(2004, LogLevel.Warning, "Refresh token reuse detected; session {SessionHash} revoked (client {IpAddress}, {UserAgent})", EventName = "RefreshReuseDetected")]
    public static partial void RefreshReuseDetected(this ILogger logger, string sessionHash, string? ipAddress, string? userAgent);

    [LoggerMessage(2005, LogLevel.Information, "Session revoked {SessionHash}", EventName = "SessionRevoked")]
    public static partial void SessionRevoked(this ILogger logger, string sessionHash);

    [LoggerMessage(2006, LogLevel.Information, "{Count} sessions revoked for {UserHash}", EventName = "SessionsRevokedForUser")]
    public static partial void SessionsRevokedForUser(this ILogger logger, string userHash, int count);

    /// <summary>A login finished after a credential change it had read too early; its new session was deleted at once.</summary>
    [LoggerMessage(2007, LogLevel.Warning, "Session {SessionHash} withdrawn: its credential changed, or could not be confirmed, while it was issued", EventName = "SessionWithdrawn")]
    public static partial void SessionWithdrawn(this ILogger logger, string sessionHash);

    [LoggerMessage(3001, LogLevel.Information, "Sweep finished: {Deleted} expired sessions deleted, {AlreadyGone} already gone, {StillLive} still live and re-indexed; {TokensDeleted} expired email-link tokens deleted", EventName = "SweepCompleted")]
    public static partial void SweepCompleted(this ILogger logger, int deleted, int alreadyGone, int stillLive, int tokensDeleted);

    [LoggerMessage(4001, LogLevel.Error, "Table storage unavailable; request failed closed", EventName = "StorageUnavailable")]
    public static partial void StorageUnavailable(this ILogger logger, Exception exception);

    [LoggerMessage(4002, LogLevel.Warning, "Every password-hashing slot stayed busy; {Endpoint} answered 503 server_busy", EventName = "ServerBusy")]
    public static partial void ServerBusy(this ILogger logger, string endpoint);

    [LoggerMessage(7001, LogLevel.Information, "Session data updated {SessionHash}: {KeyCount} keys patched after {LostRounds} lost compare-and-swaps", EventName = "SessionDataUpdated")]
    public static partial void SessionDataUpdated(this ILogger logger, string sessionHash, int keyCount, int lostRounds);

    [LoggerMessage(7002, LogLevel.Warning, "Session data update of {SessionHash} gave up after {Rounds} lost compare-and-swaps", EventName = "SessionDataUpdateConflict")]
    public static partial void SessionDataUpdateConflict(this ILogger logger, string sessionHash, int rounds);

    // Security and audit events (issue 5): 5000–5999.
    [LoggerMessage(5001, LogLevel.Warning, "Login refused: account {UserHash} throttled after {Failures} consecutive failures (client {IpAddress}, {UserAgent})", EventName = "AccountThrottled")]
    public static partial void AccountThrottled(this ILogger logger, string? userHash, int failures, string? ipAddress, string? userAgent);

    [LoggerMessage(5002, LogLevel.Warning, "Client {IpAddress} reached the throttling limit; refused until {BlockedUntil}", EventName = "ClientThrottled")]
    public static partial void ClientThrottled(this ILogger logger, string ipAddress, DateTimeOffset blockedUntil);

    [LoggerMessage(5003, LogLevel.Information, "Request refused: client {IpAddress} is throttled", EventName = "ClientRequestRefused")]
    public static partial void ClientRequestRefused(this ILogger logger, string? ipAddress);

    [LoggerMessage(5004, LogLevel.Information, "Access token rejected on {Endpoint} (client {IpAddress}, {UserAgent})", EventName = "TokenRejected")]
    public static partial void TokenRejected(this ILogger logger, string endpoint, string? ipAddress, string? userAgent);

    [LoggerMessage(5005, LogLevel.Information, "Refresh refused ({Outcome}) for client {IpAddress}, {UserAgent}", EventName = "RefreshRejected")]
    public static partial void RefreshRejected(this ILogger logger, string outcome, string? ipAddress, string? userAgent);

    [LoggerMessage(5006, LogLevel.Warning, "Cross-origin {Method} refused: origin {Origin}, Sec-Fetch-Site {FetchSite} (client {IpAddress})", EventName = "OriginRejected")]
    public static partial void OriginRejected(this ILogger logger, string method, string? origin, string? fetchSite, string? ipAddress);

    [LoggerMessage(5007, LogLevel.Information, "Session {SessionHash} logged out (client {IpAddress}, {UserAgent})", EventName = "LoggedOut")]
    public static partial void LoggedOut(this ILogger logger, string? sessionHash, string? ipAddress, string? userAgent);

    [LoggerMessage(5008, LogLevel.Information, "Session {SessionHash} must re-authenticate before ending other sessions", EventName = "ReauthenticationRequired")]
    public static partial void ReauthenticationRequired(this ILogger logger, string sessionHash);

    [LoggerMessage(5009, LogLevel.Information, "Registration for a name that is taken (answered like a new one)", EventName = "RegistrationForTakenName")]
    public static partial void RegistrationForTakenName(this ILogger logger);

    // Email (issue 15): 8000–8999. Hashes only: never an address, a token or a link.
    [LoggerMessage(8001, LogLevel.Information, "Email address verified for {UserHash}", EventName = "EmailVerified")]
    public static partial void EmailVerified(this ILogger logger, string userHash);

    [LoggerMessage(8002, LogLevel.Warning, "Password reset through an emailed link for {UserHash}", EventName = "PasswordReset")]
    public static partial void PasswordReset(this ILogger logger, string userHash);

    [LoggerMessage(8003, LogLevel.Warning, "Email address changed for {UserHash}", EventName = "EmailChanged")]
    public static partial void EmailChanged(this ILogger logger, string userHash);

    [LoggerMessage(8004, LogLevel.Information, "Mail {Kind} sent for {UserHash}", EventName = "MailSent")]
    public static partial void MailSent(this ILogger logger, string kind, string userHash);

    /// <summary>A null user hash: no account has the address (the request was answered 202 all the same).</summary>
    [LoggerMessage(8005, LogLevel.Information, "Mail {Kind} not sent: nothing to send for {UserHash}", EventName = "MailSkipped")]
    public static partial void MailSkipped(this ILogger logger, string kind, string? userHash);

    [LoggerMessage(8006, LogLevel.Warning, "Mail delivery attempt {Attempt} of {MaxAttempts} failed for message {MessageId}; retried in {RetryIn}", EventName = "MailDeliveryFailed")]
    public static partial void MailDeliveryFailed(this ILogger logger, Exception exception, long attempt, int maxAttempts, string messageId, TimeSpan retryIn);

    [LoggerMessage(8007, LogLevel.Error, "Mail message {MessageId} moved to the poison queue after {Attempts} failed attempts", EventName = "MailPoisoned")]
    public static partial void MailPoisoned(this ILogger logger, Exception? exception, string messageId, long attempts);

    [LoggerMessage(8008, LogLevel.Information, "Link refused on {Endpoint} (client {IpAddress}, {UserAgent})", EventName = "LinkRejected")]
    public static partial void LinkRejected(this ILogger logger, string endpoint, string? ipAddress, string? userAgent);

    [LoggerMessage(10001, LogLevel.Information, "Account created by a first sign-in with {Provider} for {UserHash}", EventName = "ExternalAccountCreated")]
    public static partial void ExternalAccountCreated(this ILogger logger, string userHash, string provider);

    [LoggerMessage(10002, LogLevel.Information, "Identity at {Provider} linked to {UserHash}", EventName = "ExternalIdentityLinked")]
    public static partial void ExternalIdentityLinked(this ILogger logger, string userHash, string provider);

    [LoggerMessage(10003, LogLevel.Information, "Identity at {Provider} unlinked from {UserHash}", EventName = "ExternalIdentityUnlinked")]
    public static partial void ExternalIdentityUnlinked(this ILogger logger, string userHash, string provider);

    /// <summary>The reason names the check that failed, never a token, code, state or verifier.</summary>
    [LoggerMessage(10004, LogLevel.Warning, "Sign-in with {Provider} refused: {Code} ({Reason})", EventName = "ExternalSignInRefused")]
    public static partial void ExternalSignInRefused(this ILogger logger, string provider, string code, string? reason);

    [LoggerMessage(10005, LogLevel.Warning, "Provider {Provider} did not answer usably ({Failure})", EventName = "ExternalProviderUnavailable")]
    public static partial void ExternalProviderUnavailable(this ILogger logger, string provider, string failure);

    [LoggerMessage(10006, LogLevel.Information, "Sign-in with {Provider} succeeded for {UserHash} (client {IpAddress}, {UserAgent})", EventName = "ExternalSignInSucceeded")]
    public static partial void ExternalSignInSucceeded(this ILogger logger, string provider, string userHash, string? ipAddress, string? userAgent);
}
