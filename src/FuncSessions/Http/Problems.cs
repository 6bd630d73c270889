using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>
/// Every error the API returns: RFC 9457 <c>application/problem+json</c> with a stable <c>code</c> member that
/// clients switch on (the title and detail are for humans and may change).
/// </summary>
public static class Problems
{
    public static IResult InvalidJson(string detail) => Create(400, "invalid_json", "The request body is not valid JSON for this endpoint.", detail);

    public static IResult MissingField(string field) => Create(400, "invalid_request", "A required field is missing.", $"'{field}' is required.");

    public static IResult InvalidUsername() => Create(400, "invalid_username", "The username is not acceptable.",
        "Use 1 to 64 characters without spaces or control characters.");

    public static IResult InvalidEmail() => Create(400, "invalid_email", "The email address is not acceptable.",
        "Use one address such as name@example.com, without spaces.");

    public static IResult InvalidLink() => Create(400, "invalid_link", "This link is not valid.",
        "It was used already, has expired, or a newer one was sent. Ask for a new link.");

    public static IResult EmailNotVerified() => Create(403, "email_not_verified", "Confirm your email address first.",
        "Open the link in the mail we sent, or ask for a new one.");

    public static IResult EmailDisabled() => Create(403, "email_disabled", "Email is not set up on this server.", null);

    public static IResult EmailChangeConflict() => Create(409, "email_change_conflict",
        "The account changed while its address was being replaced; the address is unchanged.", "Ask for a new link.");

    public static IResult EmailTaken() => Create(409, "email_taken", "That address belongs to another account.", null);

    public static IResult WeakPassword(string code, string detail) => Create(400, code, "The password is not acceptable.", detail);

    public static IResult InvalidCredentials() => Create(401, "invalid_credentials", "The username or password is wrong.", null);

    public static IResult InvalidToken() => Create(401, "invalid_token", "No valid session.", "Log in again, or refresh the access token.");

    public static IResult InvalidRefreshToken() => Create(401, "invalid_refresh_token", "The refresh token is not valid.", "Log in again.");

    public static IResult SessionExpired() => Create(401, "session_expired", "The session has expired.", "Log in again.");

    public static IResult RefreshTokenReused() => Create(401, "refresh_token_reused",
        "A refresh token was used twice; the session was ended to protect the account.", "Log in again.");

    public static IResult RegistrationDisabled() => Create(403, "registration_disabled", "Registration is closed.", null);

    public static IResult SessionNotFound() => Create(404, "session_not_found", "No such session.", null);

    public static IResult NotFound() => Create(404, "not_found", "No such endpoint.", null);

    public static IResult MethodNotAllowed(string allow) => Create(405, "method_not_allowed", "This endpoint does not answer this method.",
        $"Allowed: {allow}.");

    public static IResult PasswordChangeConflict() =>
        Create(409, "password_change_conflict", "The account changed while its password was being replaced.", "Try again.");

    public static IResult BodyTooLarge(int limit) => Create(413, "body_too_large", "The request body is too large.", $"The limit is {limit} bytes.");

    public static IResult UnsupportedMediaType() => Create(415, "unsupported_media_type", "Send 'Content-Type: application/json'.", null);

    public static IResult ServerBusy() => Create(503, "server_busy", "The server is busy checking other passwords.",
        "Wait for the time in the Retry-After header, then try again.");

    public static IResult StorageUnavailable() => Create(503, "storage_unavailable", "The session store is unavailable.", "Try again shortly.");

    public static IResult InvalidSessionData(string code, string detail) => Create(400, code, "The session data is not acceptable.", detail);

    public static IResult SessionDataNotWritable(string detail) => Create(403, "session_data_not_writable",
        "This session data can only be set by the server.", detail);

    public static IResult SessionDataConflict() => Create(409, "session_data_conflict",
        "The session changed repeatedly while its data was being updated; nothing was changed.", "Try again.");

    public static IResult TooManyAttempts() => Create(429, "too_many_attempts", "Too many failed attempts for this account.",
        "Wait for the time in the Retry-After header, then try again.");

    public static IResult TooManyRequests() => Create(429, "too_many_requests", "Too many requests from this address.",
        "Wait for the time in the Retry-After header, then try again.");

    public static IResult OriginNotAllowed() => Create(403, "origin_not_allowed", "Cross-origin request refused.",
        "This origin may not call the API; add it to FuncSessions:Http:AllowedOrigins if it should.");

    public static IResult ReauthenticationRequired() => Create(403, "reauthentication_required", "Log in again to do this.",
        "This needs a recent login (with your second factor, if you have one): log in again and retry.");

    /// <summary>
    /// 401 <c>second_factor_required</c>: the password was right, and the login completes at <c>login/second-factor</c>
    /// with a code before <paramref name="expiresAt"/>. The state travels in a cookie, or in bearer mode as
    /// <c>secondFactorToken</c> here; it is not a session and holds no refresh token.
    /// </summary>
    public static IResult SecondFactorRequired(DateTimeOffset expiresAt, string? secondFactorToken) =>
        Create(401, "second_factor_required", "Enter the code from your authenticator app.",
            "Send it (or a recovery code) to login/second-factor.",
            new() { ["methods"] = new[] { "totp", "recovery_code" }, ["expiresAt"] = expiresAt, ["secondFactorToken"] = secondFactorToken });

    public static IResult InvalidCode() => Create(401, "invalid_code", "The code is wrong or was already used.", "Try the current code.");

    public static IResult SecondFactorExpired() => Create(401, "second_factor_expired",
        "This sign-in has expired or was already completed.", "Log in again with your password.");

    public static IResult FactorsNotConfigured() => Create(403, "factors_not_configured", "Second factors and passkeys are not set up here.",
        "The operator must set FuncSessions:Factors:EncryptionKey (and FuncSessions:Passkeys for passkeys).");

    public static IResult InvalidPasskey() => Create(401, "invalid_passkey", "The passkey could not be verified.",
        "Start again: the challenge may have expired or been used, or the passkey is not registered here.");

    public static IResult PasskeyNotFound() => Create(404, "passkey_not_found", "No such passkey.", null);

    public static IResult TotpAlreadyEnabled() => Create(409, "totp_already_enabled", "An authenticator app is already set up.",
        "Turn it off first to set up another one.");

    public static IResult TotpNotEnrolled() => Create(409, "totp_not_enrolled", "No authenticator app is set up (or waiting for its first code).", null);

    public static IResult UnknownProvider() => Create(404, "unknown_provider", "No such sign-in provider.",
        "The provider names are those in FuncSessions:External:Providers (GET auth/oauth/providers lists them).");

    public static IResult InvalidReturnTo() => Create(400, "invalid_return_to", "returnTo is not a page this sign-in may return to.",
        "Send an absolute URL on an origin listed in FuncSessions:External:ReturnOrigins, without a fragment.");

    public static IResult InvalidSignInCode() => Create(401, "invalid_signin_code", "This sign-in code is not valid.",
        "It was used already or has expired: sign in again.");

    public static IResult IdentityNotFound() => Create(404, "identity_not_found", "No such linked identity.", null);

    public static IResult LastSignInMethod() => Create(409, "last_sign_in_method", "This is the account's only way to sign in.",
        "Set a password, add a passkey or link another provider first.");

    public static IResult IdentityConflict() => Create(409, "identity_conflict",
        "The account changed repeatedly while the identity was being removed; nothing was changed.", "Try again.");

    private static IResult Create(int status, string code, string title, string? detail, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        return TypedResults.Problem(detail, statusCode: status, title: title,
            extensions: extensions.Where(e => e.Value is not null).ToDictionary());
    }
}
