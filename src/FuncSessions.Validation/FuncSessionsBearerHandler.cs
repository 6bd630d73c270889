using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Validation;

/// <summary>Authenticates requests carrying a FuncSessions access token (bearer header or <c>__Host-fs-at</c> cookie).</summary>
internal sealed class FuncSessionsBearerHandler(IOptionsMonitor<FuncSessionsBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<FuncSessionsBearerOptions>(options, logger, encoder)
{
    private static readonly AuthenticateResult InvalidToken = AuthenticateResult.Fail("The FuncSessions access token is not valid.");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (FuncSessionsTokenReader.Read(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        var verifier = Context.RequestServices.GetRequiredKeyedService<FuncSessionsTokenVerifier>(Scheme.Name);
        return await verifier.VerifyAsync(token, Context.RequestAborted) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name))
            : InvalidToken;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
    }
}
