// A Functions (isolated worker, ASP.NET Core integration) version of samples/ProtectedApi's whoami. Protecting an
// existing Functions app takes a reference to src/FuncSessions.Validation.Functions and one line in Program.cs:
//   builder.UseFuncSessionsAuthentication(o => builder.Configuration.GetSection("FuncSessions").Bind(o));
// tests/FuncSessions.Functions.Tests compiles this file against the Worker stand-ins and calls it.
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
