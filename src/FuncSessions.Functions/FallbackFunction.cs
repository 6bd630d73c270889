using FuncSessions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncSessions.Functions;

/// <summary>
/// Every other path and method under <c>api/auth/</c>: problem JSON from <see cref="ApiFallback"/> (404, or 405 with
/// <c>Allow</c>), where the host alone would answer a bare 404, as the self-host's fallback does.
/// </summary>
public sealed class FallbackFunction(ApiFallback fallback)
{
    // Note: the host does not rank routes by precedence: it tries them in order of function name (case-insensitive,
    // FunctionMetadataManager sorts them) and the first whose template and method match wins (WebJobsRouter is a
    // RouteCollection). This catch-all must therefore sort after every other HTTP function; RouteTableTests checks it.
    public const string Name = "ZzFallback";

    [Function(Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = "auth/{*path}")] HttpRequest request) =>
        fallback.HandleAsync(request.HttpContext);
}
