// A Functions (isolated worker, ASP.NET Core integration) version of samples/ProtectedApi's whoami. Program.cs has the
// one line that protects the app; this function only reads the caller the middleware verified.
using FuncSessions.Validation.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ProtectedFunction;

public sealed class WhoAmIFunction
{
    [Function("WhoAmI")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "protected/whoami")] HttpRequest request, FunctionContext context) =>
        context.GetFuncSessionsIdentity() is { } caller
            ? new OkObjectResult(new { caller.UserId, caller.SessionId, caller.Data })
            : new UnauthorizedResult();
}
