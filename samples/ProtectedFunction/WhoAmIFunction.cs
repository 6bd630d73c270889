// A Functions (isolated worker, ASP.NET Core integration) version of samples/ProtectedApi's whoami. It is not built
// here: the Functions worker packages cannot be restored on this machine. Register the verifier in Program.cs with
//   builder.Services.AddFuncSessionsVerifier(o => builder.Configuration.GetSection("FuncSessions").Bind(o));
using FuncSessions.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ProtectedFunction;

public sealed class WhoAmIFunction(FuncSessionsTokenVerifier verifier)
{
    [Function("WhoAmI")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "protected/whoami")] HttpRequest request)
    {
        if (await verifier.VerifyAsync(FuncSessionsTokenReader.Read(request), request.HttpContext.RequestAborted) is not { } principal)
        {
            return new UnauthorizedResult();
        }

        var identity = principal.GetFuncSessionsIdentity()!;
        return new OkObjectResult(new { identity.UserId, identity.SessionId, identity.Data });
    }
}
