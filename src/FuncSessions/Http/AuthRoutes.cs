using FuncSessions.Email;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSessions.Http;

/// <summary>One row of the route table: <see cref="Invoke"/> finds the capability's handler class in the host's services.</summary>
public sealed record AuthRoute(string Name, string Method, string Template, Func<IServiceProvider, HttpContext, Task<IResult>> Invoke);

/// <summary>
/// The single source of truth for the API's routes, relative to the <c>api</c> prefix (Functions' default
/// route prefix; the self-host mounts them under <c>/api</c> too). Templates are constants so that Functions
/// trigger attributes can use them.
/// </summary>
public static class AuthRoutes
{
    public const string Prefix = "api";
    public const string Register = "auth/register";
    public const string Login = "auth/login";
    public const string Validate = "auth/validate";
    public const string Refresh = "auth/refresh";
    public const string Logout = "auth/logout";
    public const string Sessions = "auth/sessions";
    public const string SessionById = "auth/sessions/{id}";
    public const string LogoutAll = "auth/logout-all";
    public const string Password = "auth/password";
    public const string Jwks = "auth/jwks";
    public const string Session = "auth/session";
    public const string LoginSecondFactor = "auth/login/second-factor";
    public const string SecondFactor = "auth/second-factor";
    public const string Totp = "auth/second-factor/totp";
    public const string TotpConfirm = "auth/second-factor/totp/confirm";
    public const string RecoveryCodes = "auth/second-factor/recovery-codes";
    public const string Passkeys = "auth/passkeys";
    public const string PasskeyById = "auth/passkeys/{id}";
    public const string PasskeyRegisterOptions = "auth/passkeys/register/options";
    public const string PasskeyRegister = "auth/passkeys/register";
    public const string PasskeyLoginOptions = "auth/passkeys/login/options";
    public const string PasskeyLogin = "auth/passkeys/login";
    public const string EmailVerifyRequest = "auth/email/verify/request";
    public const string EmailVerify = "auth/email/verify";
    public const string PasswordResetRequest = "auth/password/reset/request";
    public const string PasswordReset = "auth/password/reset";
    public const string EmailChange = "auth/email/change";
    public const string EmailChangeConfirm = "auth/email/change/confirm";
    public const string ExternalProviders = "auth/oauth/providers";
    public const string ExternalStart = "auth/oauth/{provider}/start";
    public const string ExternalCallback = "auth/oauth/{provider}/callback";
    public const string ExternalExchange = "auth/oauth/exchange";
    public const string Identities = "auth/identities";
    public const string IdentityById = "auth/identities/{id}";

    /// <summary>OpenID Connect discovery: <c>{issuer}/.well-known/openid-configuration</c> for an issuer of <c>https://host/api</c>.</summary>
    public const string OpenApi = "auth/openapi.json";

    public const string OpenIdConfiguration = ".well-known/openid-configuration";

    public static IReadOnlyList<AuthRoute> All { get; } =
    [
        new("Register", HttpMethods.Post, Register, On<AccountEndpoints>((e, c) => e.RegisterAsync(c))),
        new("Login", HttpMethods.Post, Login, On<SessionEndpoints>((e, c) => e.LoginAsync(c))),
        new("Validate", HttpMethods.Get, Validate, On<SessionEndpoints>((e, c) => e.ValidateAsync(c))),
        new("Refresh", HttpMethods.Post, Refresh, On<SessionEndpoints>((e, c) => e.RefreshAsync(c))),
        new("Logout", HttpMethods.Post, Logout, On<SessionEndpoints>((e, c) => e.LogoutAsync(c))),
        new("ListSessions", HttpMethods.Get, Sessions, On<SessionManagementEndpoints>((e, c) => e.ListSessionsAsync(c))),
        new("RevokeSession", HttpMethods.Delete, SessionById,
            On<SessionManagementEndpoints>((e, c) => e.RevokeSessionAsync(c, c.Request.RouteValues["id"] as string))),
        new("LogoutAll", HttpMethods.Post, LogoutAll, On<SessionManagementEndpoints>((e, c) => e.LogoutAllAsync(c))),
        new("ChangePassword", HttpMethods.Post, Password, On<AccountEndpoints>((e, c) => e.ChangePasswordAsync(c))),
        new("Jwks", HttpMethods.Get, Jwks, On<KeyEndpoints>((e, c) => e.JwksAsync(c))),
        new("OpenApi", HttpMethods.Get, OpenApi, On<ApiDocumentEndpoints>((e, c) => e.OpenApiAsync(c))),
        new("OpenIdConfiguration", HttpMethods.Get, OpenIdConfiguration, On<DiscoveryEndpoints>((e, c) => e.OpenIdConfigurationAsync(c))),
        new("UpdateSessionData", HttpMethods.Patch, Session, On<SessionManagementEndpoints>((e, c) => e.UpdateSessionDataAsync(c))),
        new("LoginSecondFactor", HttpMethods.Post, LoginSecondFactor, On<SecondFactorEndpoints>((e, c) => e.CompleteLoginAsync(c))),
        new("SecondFactorStatus", HttpMethods.Get, SecondFactor, On<SecondFactorEndpoints>((e, c) => e.StatusAsync(c))),
        new("BeginTotp", HttpMethods.Post, Totp, On<SecondFactorEndpoints>((e, c) => e.BeginTotpAsync(c))),
        new("ConfirmTotp", HttpMethods.Post, TotpConfirm, On<SecondFactorEndpoints>((e, c) => e.ConfirmTotpAsync(c))),
        new("DisableTotp", HttpMethods.Delete, Totp, On<SecondFactorEndpoints>((e, c) => e.DisableTotpAsync(c))),
        new("RegenerateRecoveryCodes", HttpMethods.Post, RecoveryCodes, On<SecondFactorEndpoints>((e, c) => e.RegenerateRecoveryCodesAsync(c))),
        new("PasskeyRegisterOptions", HttpMethods.Post, PasskeyRegisterOptions, On<PasskeyEndpoints>((e, c) => e.BeginRegistrationAsync(c))),
        new("PasskeyRegister", HttpMethods.Post, PasskeyRegister, On<PasskeyEndpoints>((e, c) => e.CompleteRegistrationAsync(c))),
        new("ListPasskeys", HttpMethods.Get, Passkeys, On<PasskeyEndpoints>((e, c) => e.ListAsync(c))),
        new("DeletePasskey", HttpMethods.Delete, PasskeyById, On<PasskeyEndpoints>((e, c) => e.DeleteAsync(c, c.Request.RouteValues["id"] as string))),
        new("PasskeyLoginOptions", HttpMethods.Post, PasskeyLoginOptions, On<PasskeyEndpoints>((e, c) => e.BeginLoginAsync(c))),
        new("PasskeyLogin", HttpMethods.Post, PasskeyLogin, On<PasskeyEndpoints>((e, c) => e.CompleteLoginAsync(c))),
        new("RequestEmailVerification", HttpMethods.Post, EmailVerifyRequest, On<EmailEndpoints>((e, c) => e.RequestVerificationAsync(c))),
        new("VerifyEmail", HttpMethods.Post, EmailVerify, On<EmailEndpoints>((e, c) => e.VerifyAsync(c))),
        new("RequestPasswordReset", HttpMethods.Post, PasswordResetRequest, On<EmailEndpoints>((e, c) => e.RequestPasswordResetAsync(c))),
        new("ResetPassword", HttpMethods.Post, PasswordReset, On<EmailEndpoints>((e, c) => e.ResetPasswordAsync(c))),
        new("RequestEmailChange", HttpMethods.Post, EmailChange, On<EmailEndpoints>((e, c) => e.RequestEmailChangeAsync(c))),
        new("ConfirmEmailChange", HttpMethods.Post, EmailChangeConfirm, On<EmailEndpoints>((e, c) => e.ConfirmEmailChangeAsync(c))),
        new("ExternalProviders", HttpMethods.Get, ExternalProviders, On<ExternalSignInEndpoints>((e, c) => e.ProvidersAsync(c))),
        new("ExternalStart", HttpMethods.Get, ExternalStart,
            On<ExternalSignInEndpoints>((e, c) => e.StartAsync(c, c.Request.RouteValues["provider"] as string))),
        new("ExternalCallback", HttpMethods.Get, ExternalCallback,
            On<ExternalSignInEndpoints>((e, c) => e.CallbackAsync(c, c.Request.RouteValues["provider"] as string))),
        new("ExternalExchange", HttpMethods.Post, ExternalExchange, On<ExternalSignInEndpoints>((e, c) => e.ExchangeAsync(c))),
        new("ListIdentities", HttpMethods.Get, Identities, On<ExternalSignInEndpoints>((e, c) => e.ListIdentitiesAsync(c))),
        new("UnlinkIdentity", HttpMethods.Delete, IdentityById,
            On<ExternalSignInEndpoints>((e, c) => e.UnlinkAsync(c, c.Request.RouteValues["id"] as string))),
    ];

    private static Func<IServiceProvider, HttpContext, Task<IResult>> On<T>(Func<T, HttpContext, Task<IResult>> call)
        where T : notnull =>
        (services, context) => call(services.GetRequiredService<T>(), context);
}
