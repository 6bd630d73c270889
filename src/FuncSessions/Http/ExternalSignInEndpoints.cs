using FuncSessions.Email;
using FuncSessions.External;
using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using FuncSessions.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// Sign-in with external providers: <c>start</c> sends the browser to the provider, <c>callback</c> turns its answer
/// into a new session (cookies; in bearer mode a one-time code the site exchanges by POST), and the caller's linked
/// identities can be listed and unlinked. Every way out of the callback is a redirect to the site: success without
/// parameters, or <c>?error={code}</c> (docs/security.md lists the codes), never a provider's page or a stack trace.
/// </summary>
public sealed class ExternalSignInEndpoints(
    RequestGuards guards,
    JsonRequestReader reader,
    TokenDelivery tokens,
    ExternalProviders providers,
    ExternalSignInFlow flow,
    ExternalAccounts accounts,
    ReturnToPolicy returnTo,
    SignInCodes signInCodes,
    SessionValidator sessions,
    SessionIssuer issuer,
    SecondFactorStep secondFactor,
    StepUp stepUp,
    EmailPolicy emailPolicy,
    LogHash logHash,
    IOptions<HttpOptions> httpOptions,
    ILogger<ExternalSignInEndpoints> logger)
{
    public const string ErrorParameter = "error";

    /// <summary>Bearer mode: the query parameter that carries the one-time code to <c>oauth/exchange</c>.</summary>
    public const string CodeParameter = "signin_code";

    private bool UseCookies => httpOptions.Value.TokenTransport == TokenTransport.Cookie;

    public Task<IResult> ProvidersAsync(HttpContext context) => guards.GuardAsync(context, _ =>
        Task.FromResult<IResult>(TypedResults.Json(
            new ExternalProviderListResponse([.. providers.All.Select(p => new ExternalProviderItem(
                p.Name, p.DisplayName, $"/{AuthRoutes.Prefix}/auth/oauth/{p.Name}/start"))]),
            FuncSessionsJsonContext.Default.ExternalProviderListResponse)));

    /// <summary>
    /// 302 to the provider. <c>link=true</c> adds the identity to the signed-in account instead (cookie mode: the access
    /// token cookie names it; it needs a recent sign-in, as other sensitive changes do).
    /// </summary>
    public Task<IResult> StartAsync(HttpContext context, string? providerName) => guards.ThrottledAsync(context, async (_, ct) =>
    {
        if (providers.Find(providerName) is not { } provider)
        {
            return Problems.UnknownProvider();
        }

        if (returnTo.Check(context.Request.Query["returnTo"]) is not { } back)
        {
            return Problems.InvalidReturnTo();
        }

        string? linkUserId = null;
        if (context.Request.Query["link"] == "true")
        {
            if (await sessions.ValidateAsync(tokens.ReadAccessToken(context.Request), ct) is not { } current)
            {
                return Back(back, "invalid_token");
            }

            if (!await stepUp.SatisfiedAsync(current, ct))
            {
                return Back(back, "reauthentication_required");
            }

            linkUserId = current.UserId;
        }

        try
        {
            return Redirect(await flow.StartAsync(context, provider, back, linkUserId, ct));
        }
        catch (Exception e) when (ExternalSignInFlow.IsProviderFault(e) && !ct.IsCancellationRequested)
        {
            logger.ExternalProviderUnavailable(provider.Name, e.GetType().Name);
            return Back(back, "provider_unavailable");
        }
    });

    public Task<IResult> CallbackAsync(HttpContext context, string? providerName) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        if (providers.Find(providerName) is not { } provider)
        {
            return Problems.UnknownProvider();
        }

        var result = await flow.CallbackAsync(context, provider, returnTo.Fallback, ct);
        if (result.Error is { } error)
        {
            return Back(result.ReturnTo, error);
        }

        var (transaction, identity) = (result.Transaction!, result.Identity!);
        if (transaction.LinkUserId is { } linkUserId)
        {
            return Back(result.ReturnTo, await LinkAsync(context, linkUserId, identity, ct));
        }

        if (await accounts.SignInAsync(identity, ct) is not { Disabled: false } user || emailPolicy.BlocksLogin(user))
        {
            return Back(result.ReturnTo, "sign_in_failed");
        }

        logger.ExternalSignInSucceeded(provider.Name, logHash.Of(user.UserId), client.IpAddress, client.UserAgent);
        if (!UseCookies)
        {
            return Redirect(ReturnToPolicy.With(result.ReturnTo, CodeParameter, signInCodes.Issue(user)));
        }

        // Note: in cookie mode the code step's state is its HttpOnly cookie, exactly as after a password.
        if (await secondFactor.ChallengeAsync(context, user, ct, federated: true) is not null)
        {
            return Back(result.ReturnTo, "second_factor_required");
        }

        if (await issuer.IssueAsync(user, client, AuthenticationMethods.FederatedOnly, ct) is not { } issued)
        {
            return Back(result.ReturnTo, "sign_in_failed");
        }

        tokens.Deliver(context.Response, issued);
        return Redirect(result.ReturnTo);
    });

    /// <summary>Bearer mode: the one-time code for the session, answered as login answers (the code step included).</summary>
    public Task<IResult> ExchangeAsync(HttpContext context) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.SignInCodeRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.Code))
        {
            return Problems.MissingField("code");
        }

        if (await signInCodes.RedeemAsync(body.Code, ct) is not { Disabled: false } user)
        {
            return Problems.InvalidSignInCode();
        }

        if (await secondFactor.ChallengeAsync(context, user, ct, federated: true) is { } codeRequired)
        {
            return codeRequired;
        }

        return await issuer.IssueAsync(user, client, AuthenticationMethods.FederatedOnly, ct) is { } issued
            ? RequestGuards.Json(tokens.Deliver(context.Response, issued))
            : Problems.InvalidSignInCode();
    });

    public Task<IResult> ListIdentitiesAsync(HttpContext context) => guards.AuthenticatedAsync(context, async (current, ct) =>
    {
        var user = await accounts.FindAsync(current.UserKey, ct);
        var items = user?.ExternalIdentities.Select(i => new ExternalIdentityItem(i.Id, i.Provider, i.Email, i.LinkedAt)) ?? [];
        return TypedResults.Json(new ExternalIdentityListResponse([.. items], user?.HasPassword ?? false),
            FuncSessionsJsonContext.Default.ExternalIdentityListResponse);
    });

    /// <summary>Unlinks one identity (a sensitive change: recent sign-in, and the second factor when one is on); never the last way in.</summary>
    public Task<IResult> UnlinkAsync(HttpContext context, string? id) => guards.AuthenticatedAsync(context, async (current, ct) =>
    {
        if (!await stepUp.SatisfiedAsync(current, ct))
        {
            return Problems.ReauthenticationRequired();
        }

        return await accounts.UnlinkAsync(current.UserKey, id ?? "", ct) switch
        {
            UnlinkOutcome.Unlinked => TypedResults.NoContent(),
            UnlinkOutcome.LastSignInMethod => Problems.LastSignInMethod(),
            UnlinkOutcome.Conflict => Problems.IdentityConflict(),
            _ => Problems.IdentityNotFound(),
        };
    });

    // Note: the account must still be the one that started the link, signed in in this browser now.
    private async Task<string?> LinkAsync(HttpContext context, string linkUserId, ExternalIdentity identity, CancellationToken ct)
    {
        if (await sessions.ValidateAsync(tokens.ReadAccessToken(context.Request), ct) is not { } current || current.UserId != linkUserId)
        {
            return "invalid_token";
        }

        return await accounts.LinkAsync(current.UserKey, identity, ct) switch
        {
            LinkOutcome.Linked => null,
            LinkOutcome.InUse => "identity_in_use",
            _ => "sign_in_failed",
        };
    }

    private static IResult Back(string returnTo, string? error) =>
        Redirect(error is null ? returnTo : ReturnToPolicy.With(returnTo, ErrorParameter, error));

    private static IResult Redirect(string url) => new QuietRedirect(url);

    /// <summary>
    /// A 302 that does not log its destination: ASP.NET Core's RedirectResult writes it at Information, and bearer mode's
    /// destination carries the one-time <c>signin_code</c>.
    /// </summary>
    private sealed class QuietRedirect(string url) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status302Found;
            httpContext.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }
}
