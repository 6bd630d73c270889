using FuncSessions.Email;
using FuncSessions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncSessions.Functions;

/// <summary>
/// One HTTP function per row of <see cref="AuthRoutes"/>, each handing the request to its capability's handler class
/// (external sign-in's rows are <see cref="ExternalSignInFunctions"/>).
/// Browser-facing, so anonymous: a function key cannot be kept secret in a static site. CORS (preflights included)
/// is the platform's: the host's <c>Host.CORS</c> locally and <c>siteConfig.cors</c> in Azure.
/// </summary>
public sealed class AuthFunctions(
    SessionEndpoints sessions,
    SessionManagementEndpoints management,
    AccountEndpoints accounts,
    KeyEndpoints keys,
    EmailEndpoints email,
    SecondFactorEndpoints secondFactors,
    PasskeyEndpoints passkeys,
    DiscoveryEndpoints discovery,
    ApiDocumentEndpoints document)
{
    [Function("Register")]
    public Task<IResult> Register([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.Register)] HttpRequest request) =>
        accounts.RegisterAsync(request.HttpContext);

    [Function("Login")]
    public Task<IResult> Login([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.Login)] HttpRequest request) =>
        sessions.LoginAsync(request.HttpContext);

    [Function("Validate")]
    public Task<IResult> Validate([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.Validate)] HttpRequest request) =>
        sessions.ValidateAsync(request.HttpContext);

    [Function("Refresh")]
    public Task<IResult> Refresh([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.Refresh)] HttpRequest request) =>
        sessions.RefreshAsync(request.HttpContext);

    [Function("Logout")]
    public Task<IResult> Logout([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.Logout)] HttpRequest request) =>
        sessions.LogoutAsync(request.HttpContext);

    [Function("ListSessions")]
    public Task<IResult> ListSessions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.Sessions)] HttpRequest request) =>
        management.ListSessionsAsync(request.HttpContext);

    [Function("RevokeSession")]
    public Task<IResult> RevokeSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = AuthRoutes.SessionById)] HttpRequest request, string id) =>
        management.RevokeSessionAsync(request.HttpContext, id);

    [Function("LogoutAll")]
    public Task<IResult> LogoutAll([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.LogoutAll)] HttpRequest request) =>
        management.LogoutAllAsync(request.HttpContext);

    [Function("ChangePassword")]
    public Task<IResult> ChangePassword([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.Password)] HttpRequest request) =>
        accounts.ChangePasswordAsync(request.HttpContext);

    [Function("UpdateSessionData")]
    public Task<IResult> UpdateSessionData([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = AuthRoutes.Session)] HttpRequest request) =>
        management.UpdateSessionDataAsync(request.HttpContext);

    [Function("Jwks")]
    public Task<IResult> Jwks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.Jwks)] HttpRequest request) =>
        keys.JwksAsync(request.HttpContext);

    [Function("RequestEmailVerification")]
    public Task<IResult> RequestEmailVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.EmailVerifyRequest)] HttpRequest request) =>
        email.RequestVerificationAsync(request.HttpContext);

    [Function("VerifyEmail")]
    public Task<IResult> VerifyEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.EmailVerify)] HttpRequest request) =>
        email.VerifyAsync(request.HttpContext);

    [Function("RequestPasswordReset")]
    public Task<IResult> RequestPasswordReset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.PasswordResetRequest)] HttpRequest request) =>
        email.RequestPasswordResetAsync(request.HttpContext);

    [Function("ResetPassword")]
    public Task<IResult> ResetPassword([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.PasswordReset)] HttpRequest request) =>
        email.ResetPasswordAsync(request.HttpContext);

    [Function("RequestEmailChange")]
    public Task<IResult> RequestEmailChange([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.EmailChange)] HttpRequest request) =>
        email.RequestEmailChangeAsync(request.HttpContext);

    [Function("ConfirmEmailChange")]
    public Task<IResult> ConfirmEmailChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.EmailChangeConfirm)] HttpRequest request) =>
        email.ConfirmEmailChangeAsync(request.HttpContext);

    [Function("LoginSecondFactor")]
    public Task<IResult> LoginSecondFactor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.LoginSecondFactor)] HttpRequest request) =>
        secondFactors.CompleteLoginAsync(request.HttpContext);

    [Function("SecondFactorStatus")]
    public Task<IResult> SecondFactorStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.SecondFactor)] HttpRequest request) =>
        secondFactors.StatusAsync(request.HttpContext);

    [Function("BeginTotp")]
    public Task<IResult> BeginTotp([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.Totp)] HttpRequest request) =>
        secondFactors.BeginTotpAsync(request.HttpContext);

    [Function("ConfirmTotp")]
    public Task<IResult> ConfirmTotp([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.TotpConfirm)] HttpRequest request) =>
        secondFactors.ConfirmTotpAsync(request.HttpContext);

    [Function("DisableTotp")]
    public Task<IResult> DisableTotp([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = AuthRoutes.Totp)] HttpRequest request) =>
        secondFactors.DisableTotpAsync(request.HttpContext);

    [Function("RegenerateRecoveryCodes")]
    public Task<IResult> RegenerateRecoveryCodes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.RecoveryCodes)] HttpRequest request) =>
        secondFactors.RegenerateRecoveryCodesAsync(request.HttpContext);

    [Function("PasskeyRegisterOptions")]
    public Task<IResult> PasskeyRegisterOptions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.PasskeyRegisterOptions)] HttpRequest request) =>
        passkeys.BeginRegistrationAsync(request.HttpContext);

    [Function("PasskeyRegister")]
    public Task<IResult> PasskeyRegister([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.PasskeyRegister)] HttpRequest request) =>
        passkeys.CompleteRegistrationAsync(request.HttpContext);

    [Function("ListPasskeys")]
    public Task<IResult> ListPasskeys([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.Passkeys)] HttpRequest request) =>
        passkeys.ListAsync(request.HttpContext);

    [Function("DeletePasskey")]
    public Task<IResult> DeletePasskey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = AuthRoutes.PasskeyById)] HttpRequest request, string id) =>
        passkeys.DeleteAsync(request.HttpContext, id);

    [Function("PasskeyLoginOptions")]
    public Task<IResult> PasskeyLoginOptions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.PasskeyLoginOptions)] HttpRequest request) =>
        passkeys.BeginLoginAsync(request.HttpContext);

    [Function("PasskeyLogin")]
    public Task<IResult> PasskeyLogin([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.PasskeyLogin)] HttpRequest request) =>
        passkeys.CompleteLoginAsync(request.HttpContext);

    [Function("OpenIdConfiguration")]
    public Task<IResult> OpenIdConfiguration(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.OpenIdConfiguration)] HttpRequest request) =>
        discovery.OpenIdConfigurationAsync(request.HttpContext);

    [Function("OpenApi")]
    public Task<IResult> OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.OpenApi)] HttpRequest request) =>
        document.OpenApiAsync(request.HttpContext);
}
