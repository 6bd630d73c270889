using System.Text.Json;
using FuncSessions.Tokens;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>Which credential a route needs, as the OpenAPI document's security requirement.</summary>
public enum RouteCredential
{
    None,
    AccessToken,
    RefreshToken,
    AccessOrRefreshToken,

    /// <summary>The admin API's key in <c>x-functions-key</c> (<see cref="AdminRoutes"/>).</summary>
    AdminKey,
}

/// <summary>What the OpenAPI document says about one <see cref="AuthRoute"/>: its body, its answer and its problem codes.</summary>
/// <param name="ProblemCodes">The codes this route's own handler answers; the guards' codes are added by <see cref="AllProblemCodes"/>.</param>
public sealed record RouteDoc(
    string Summary,
    RouteCredential Credential,
    int SuccessStatus,
    Type? Response,
    Type? RequestBody = null,
    bool BodyOptional = false,
    bool Guarded = true,
    bool Throttled = false,
    IReadOnlyList<string>? ProblemCodes = null)
{
    /// <summary>Every problem code the route can answer, its guards' included.</summary>
    public IReadOnlyList<string> AllProblemCodes(string method)
    {
        var codes = new List<string>(ProblemCodes ?? []);
        if (RequestBody is not null)
        {
            codes.AddRange(["invalid_json", "body_too_large", "unsupported_media_type"]);
        }

        if (Credential == RouteCredential.AccessToken)
        {
            codes.Add("invalid_token");
        }

        // Note: the self-host's key check (AdminEndpoints.SelfHostGateAsync); not_found is every admin route there while
        // no key is configured. On the Functions app the host checks the key and answers its own bare 401 instead.
        if (Credential == RouteCredential.AdminKey)
        {
            codes.AddRange(["admin_key_required", "admin_key_invalid", "not_found"]);
        }

        if (Throttled)
        {
            codes.Add("too_many_requests");
        }

        if (Guarded)
        {
            // Note: the guard's answers when storage fails or every password-hashing slot stays taken (HashingSlots).
            codes.AddRange(["storage_unavailable", "server_busy"]);
            // Note: the origin check only looks at state-changing methods (OriginPolicy).
            if (method is not ("GET" or "HEAD"))
            {
                codes.Add("origin_not_allowed");
            }
        }

        return [.. codes.Distinct()];
    }
}

/// <summary>
/// The documentation of every row of <see cref="AuthRoutes.All"/> and <see cref="AdminRoutes.All"/>, by route name, and the status of every problem code
/// (<see cref="Problems"/>). The self-host's OpenAPI document is generated from its endpoint table with these; a test
/// fails when a route has no entry here, or an entry no route.
/// </summary>
public static class RouteDocs
{
    private static readonly string[] PasswordRules = ["password_too_short", "password_too_long", "password_blocklisted", "password_contains_context"];

    /// <summary>Every route the OpenAPI document describes: the API's and the admin API's.</summary>
    public static IReadOnlyList<AuthRoute> Routes { get; } = [.. AuthRoutes.All, .. AdminRoutes.All];

    public static IReadOnlyDictionary<string, RouteDoc> ByName { get; } = new Dictionary<string, RouteDoc>(StringComparer.Ordinal)
    {
        ["Register"] = new("Create an account (202 whether or not the name was free)", RouteCredential.None, 202, null,
            typeof(CredentialsRequest), Throttled: true,
            ProblemCodes: ["registration_disabled", "invalid_request", "invalid_username", "invalid_email", "email_disabled", .. PasswordRules]),
        ["Login"] = new("Start a new session with a username and password", RouteCredential.None, 200, typeof(SessionResponse),
            typeof(CredentialsRequest), Throttled: true,
            ProblemCodes: ["invalid_request", "password_too_long", "invalid_credentials", "too_many_attempts", "email_not_verified", "second_factor_required"]),
        ["Validate"] = new("The caller's session, if the access token names a live one", RouteCredential.AccessToken, 200, typeof(SessionResponse)),
        ["Refresh"] = new("Rotate the refresh token and issue a new access token", RouteCredential.RefreshToken, 200, typeof(SessionResponse),
            typeof(RefreshRequest), BodyOptional: true, Throttled: true, ProblemCodes: ["invalid_refresh_token", "session_expired", "refresh_token_reused"]),
        ["Logout"] = new("End the caller's session (idempotent)", RouteCredential.AccessOrRefreshToken, 204, null,
            typeof(RefreshRequest), BodyOptional: true),
        ["ListSessions"] = new("The caller's live sessions", RouteCredential.AccessToken, 200, typeof(SessionListResponse)),
        ["RevokeSession"] = new("End one of the caller's sessions", RouteCredential.AccessToken, 204, null,
            ProblemCodes: ["reauthentication_required", "session_not_found"]),
        ["LogoutAll"] = new("End every session of the caller, this one included", RouteCredential.AccessToken, 204, null,
            typeof(RefreshRequest), BodyOptional: true, ProblemCodes: ["reauthentication_required"]),
        ["ChangePassword"] = new("Change the password: ends every session and continues in a new one", RouteCredential.AccessToken, 200,
            typeof(SessionResponse), typeof(ChangePasswordRequest),
            ProblemCodes: ["invalid_request", .. PasswordRules, "invalid_credentials", "too_many_attempts", "password_change_conflict"]),
        ["Jwks"] = new("The public signing keys (RFC 7517)", RouteCredential.None, 200, typeof(JsonWebKeySet), Guarded: false),
        ["UpdateSessionData"] = new("Change the session's data with a JSON Merge Patch (RFC 7396)", RouteCredential.AccessToken, 200,
            typeof(SessionResponse), typeof(Dictionary<string, JsonElement>),
            ProblemCodes: ["invalid_session_data", "reserved_claim_name", "session_data_too_large", "session_data_not_writable", "session_data_conflict"]),
        ["RequestEmailVerification"] = new("Mail a verification link (202 whether or not the address has an account)", RouteCredential.None, 202,
            null, typeof(EmailRequest), Throttled: true, ProblemCodes: ["email_disabled", "invalid_request", "invalid_email"]),
        ["VerifyEmail"] = new("Use a verification link's token", RouteCredential.None, 204, null, typeof(TokenRequest), Throttled: true,
            ProblemCodes: ["email_disabled", "invalid_request", "invalid_link"]),
        ["RequestPasswordReset"] = new("Mail a password-reset link (202 whether or not the address has an account)", RouteCredential.None, 202,
            null, typeof(EmailRequest), Throttled: true, ProblemCodes: ["email_disabled", "invalid_request", "invalid_email"]),
        ["ResetPassword"] = new("Set a new password with a reset link's token; ends every session", RouteCredential.None, 204, null,
            typeof(ResetPasswordRequest), Throttled: true,
            ProblemCodes: ["email_disabled", "invalid_request", "invalid_link", .. PasswordRules, "password_change_conflict"]),
        ["RequestEmailChange"] = new("Mail a link to a new address (needs a recent login)", RouteCredential.AccessToken, 202, null,
            typeof(ChangeEmailRequest), ProblemCodes: ["email_disabled", "invalid_request", "invalid_email", "reauthentication_required"]),
        ["ConfirmEmailChange"] = new("Use an email-change link's token", RouteCredential.None, 204, null, typeof(TokenRequest), Throttled: true,
            ProblemCodes: ["email_disabled", "invalid_request", "invalid_link", "email_taken", "email_change_conflict"]),
        ["OpenIdConfiguration"] = new("OpenID Connect discovery for verifiers of the access tokens", RouteCredential.None, 200,
            typeof(OpenIdConfiguration), Guarded: false),
        ["OpenApi"] = new("This document", RouteCredential.None, 200, null, Guarded: false),
        ["LoginSecondFactor"] = new("Complete a password login with a TOTP or recovery code", RouteCredential.None, 200, typeof(SessionResponse),
            typeof(SecondFactorLoginRequest), Throttled: true,
            ProblemCodes: ["factors_not_configured", "invalid_request", "second_factor_expired", "invalid_code", "too_many_attempts"]),
        ["SecondFactorStatus"] = new("Whether TOTP is on, and how many recovery codes are left", RouteCredential.AccessToken, 200,
            typeof(SecondFactorStatusResponse)),
        ["BeginTotp"] = new("Start TOTP set-up: a new secret, shown once", RouteCredential.AccessToken, 200, typeof(TotpSetupResponse),
            ProblemCodes: FactorChange("totp_already_enabled")),
        ["ConfirmTotp"] = new("Turn TOTP on with a first correct code; answers the recovery codes, shown once", RouteCredential.AccessToken, 200,
            typeof(RecoveryCodesResponse), typeof(CodeRequest),
            ProblemCodes: FactorChange("invalid_request", "totp_not_enrolled", "invalid_code", "too_many_attempts")),
        ["DisableTotp"] = new("Turn TOTP off; ends every other session", RouteCredential.AccessToken, 204, null,
            ProblemCodes: FactorChange("totp_not_enrolled")),
        ["RegenerateRecoveryCodes"] = new("A new set of recovery codes, replacing every earlier one", RouteCredential.AccessToken, 200,
            typeof(RecoveryCodesResponse), ProblemCodes: FactorChange("totp_not_enrolled")),
        ["PasskeyRegisterOptions"] = new("Creation options for a new passkey and the sealed challenge", RouteCredential.AccessToken, 200, null,
            ProblemCodes: FactorChange()),
        ["PasskeyRegister"] = new("Store a passkey whose attestation verifies for this user's challenge", RouteCredential.AccessToken, 201,
            typeof(PasskeyItem), typeof(System.Text.Json.Nodes.JsonObject), ProblemCodes: FactorChange("invalid_passkey")),
        ["ListPasskeys"] = new("The caller's passkeys", RouteCredential.AccessToken, 200, typeof(PasskeyListResponse)),
        ["DeletePasskey"] = new("Delete one of the caller's passkeys; never the account's last way to sign in", RouteCredential.AccessToken, 204, null,
            ProblemCodes: FactorChange("passkey_not_found", "last_sign_in_method")),
        ["PasskeyLoginOptions"] = new("Request options for signing in with a discoverable passkey", RouteCredential.None, 200, null,
            Throttled: true, ProblemCodes: ["factors_not_configured"]),
        ["PasskeyLogin"] = new("Start a new session with a passkey (both factors)", RouteCredential.None, 200, typeof(SessionResponse),
            typeof(System.Text.Json.Nodes.JsonObject), Throttled: true, ProblemCodes: ["factors_not_configured", "invalid_passkey"]),
        ["ExternalProviders"] = new("The configured external sign-in providers, for the sign-in buttons", RouteCredential.None, 200,
            typeof(ExternalProviderListResponse)),
        ["ExternalStart"] = new("Start a sign-in at an external provider: 302 to it (query returnTo; link=true to link to the signed-in account)",
            RouteCredential.None, 302, null, Throttled: true, ProblemCodes: ["unknown_provider", "invalid_return_to"]),
        ["ExternalCallback"] = new("Where the provider sends the browser back: 302 to returnTo, with ?error={code} when the sign-in failed",
            RouteCredential.None, 302, null, Throttled: true, ProblemCodes: ["unknown_provider"]),
        ["ExternalExchange"] = new("Bearer mode: exchange an external sign-in's one-time signin_code for a new session", RouteCredential.None, 200,
            typeof(SessionResponse), typeof(SignInCodeRequest), Throttled: true,
            ProblemCodes: ["invalid_request", "invalid_signin_code", "second_factor_required"]),
        ["ListIdentities"] = new("The caller's linked external identities", RouteCredential.AccessToken, 200, typeof(ExternalIdentityListResponse)),
        ["UnlinkIdentity"] = new("Unlink one of the caller's external identities (never the last way to sign in)", RouteCredential.AccessToken, 204, null,
            ProblemCodes: ["reauthentication_required", "identity_not_found", "last_sign_in_method", "identity_conflict"]),
        ["AdminFindUser"] = new("Find an account by exactly one of id, username or email: never its password hash", RouteCredential.AdminKey, 200,
            typeof(AdminUserResponse), typeof(AdminFindRequest), ProblemCodes: ["invalid_request", "user_not_found"]),
        ["AdminDisableUser"] = new("Disable an account: every session of it ends at once and login refuses it", RouteCredential.AdminKey, 200,
            typeof(AdminActionResponse), typeof(AdminUserRequest), ProblemCodes: ["invalid_request", "user_not_found"]),
        ["AdminEnableUser"] = new("Enable a disabled account", RouteCredential.AdminKey, 200,
            typeof(AdminActionResponse), typeof(AdminUserRequest), ProblemCodes: ["invalid_request", "user_not_found"]),
        ["AdminDeleteUser"] = new("Delete an account and everything keyed by it (idempotent: 200 when there was none)", RouteCredential.AdminKey, 200,
            typeof(AdminActionResponse), typeof(AdminUserRequest), ProblemCodes: ["invalid_request"]),
        ["AdminEndUserSessions"] = new("End every session of one account", RouteCredential.AdminKey, 200,
            typeof(AdminActionResponse), typeof(AdminUserRequest), ProblemCodes: ["invalid_request", "user_not_found"]),
        ["AdminEndAllSessions"] = new("End every session of every account", RouteCredential.AdminKey, 200,
            typeof(AdminActionResponse), typeof(AdminEmptyRequest), BodyOptional: true),
    };

    // Note: every factor change is a sensitive action behind step-up, and off when factors are not configured.
    private static string[] FactorChange(params string[] codes) => ["factors_not_configured", "reauthentication_required", .. codes];

    /// <summary>The HTTP status of every problem code the API answers.</summary>
    public static IReadOnlyDictionary<string, int> ProblemStatus { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["invalid_json"] = 400, ["invalid_request"] = 400, ["invalid_username"] = 400, ["password_too_short"] = 400,
        ["password_too_long"] = 400, ["password_blocklisted"] = 400, ["password_contains_context"] = 400,
        ["invalid_email"] = 400, ["invalid_link"] = 400, ["invalid_session_data"] = 400, ["reserved_claim_name"] = 400, ["session_data_too_large"] = 400,
        ["invalid_credentials"] = 401, ["invalid_token"] = 401, ["invalid_refresh_token"] = 401, ["session_expired"] = 401,
        ["refresh_token_reused"] = 401,
        ["registration_disabled"] = 403, ["origin_not_allowed"] = 403, ["reauthentication_required"] = 403,
        ["session_data_not_writable"] = 403, ["email_not_verified"] = 403, ["email_disabled"] = 403,
        ["session_not_found"] = 404, ["not_found"] = 404, ["method_not_allowed"] = 405,
        ["password_change_conflict"] = 409, ["session_data_conflict"] = 409, ["email_change_conflict"] = 409, ["email_taken"] = 409,
        ["second_factor_required"] = 401, ["invalid_code"] = 401, ["second_factor_expired"] = 401, ["invalid_passkey"] = 401,
        ["factors_not_configured"] = 403, ["passkey_not_found"] = 404, ["totp_already_enabled"] = 409, ["totp_not_enrolled"] = 409,
        ["admin_key_required"] = 401, ["admin_key_invalid"] = 403, ["user_not_found"] = 404,
        ["unknown_provider"] = 404, ["invalid_return_to"] = 400, ["invalid_signin_code"] = 401, ["identity_not_found"] = 404,
        ["last_sign_in_method"] = 409, ["identity_conflict"] = 409,
        ["body_too_large"] = 413, ["unsupported_media_type"] = 415,
        ["too_many_attempts"] = 429, ["too_many_requests"] = 429, ["storage_unavailable"] = 503, ["server_busy"] = 503,
    };

    /// <summary>The problem codes of one route grouped by status, as its OpenAPI responses list them.</summary>
    public static IEnumerable<(int Status, IReadOnlyList<string> Codes)> ProblemResponses(AuthRoute route) =>
        ByName[route.Name].AllProblemCodes(route.Method)
            .GroupBy(code => ProblemStatus[code])
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g]));

    /// <summary>True for the methods whose requests carry a JSON body on this route.</summary>
    public static bool HasBody(AuthRoute route) => ByName[route.Name].RequestBody is not null && !HttpMethods.IsGet(route.Method);
}
