using FuncSessions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncSessions.Functions;

/// <summary>
/// The <see cref="AuthRoutes"/> rows of external sign-in: providers, start, callback, the bearer-mode code exchange,
/// and the caller's linked identities. Anonymous like the other browser-facing functions; the callback's redirects and
/// the transaction cookie are <see cref="ExternalSignInEndpoints"/>' own.
/// </summary>
public sealed class ExternalSignInFunctions(ExternalSignInEndpoints external)
{
    [Function("ExternalProviders")]
    public Task<IResult> ExternalProviders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.ExternalProviders)] HttpRequest request) =>
        external.ProvidersAsync(request.HttpContext);

    [Function("ExternalStart")]
    public Task<IResult> ExternalStart(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.ExternalStart)] HttpRequest request, string provider) =>
        external.StartAsync(request.HttpContext, provider);

    [Function("ExternalCallback")]
    public Task<IResult> ExternalCallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.ExternalCallback)] HttpRequest request, string provider) =>
        external.CallbackAsync(request.HttpContext, provider);

    [Function("ExternalExchange")]
    public Task<IResult> ExternalExchange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AuthRoutes.ExternalExchange)] HttpRequest request) =>
        external.ExchangeAsync(request.HttpContext);

    [Function("ListIdentities")]
    public Task<IResult> ListIdentities([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuthRoutes.Identities)] HttpRequest request) =>
        external.ListIdentitiesAsync(request.HttpContext);

    [Function("UnlinkIdentity")]
    public Task<IResult> UnlinkIdentity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = AuthRoutes.IdentityById)] HttpRequest request, string id) =>
        external.UnlinkAsync(request.HttpContext, id);
}
