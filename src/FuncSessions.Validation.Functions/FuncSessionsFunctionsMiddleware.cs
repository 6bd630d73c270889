using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace FuncSessions.Validation.Functions;

/// <summary>
/// Verifies the FuncSessions access token of every HTTP invocation (bearer header or <c>__Host-fs-at</c> cookie) and,
/// when it is valid, makes the caller the invocation's user: <c>HttpContext.User</c> and
/// <see cref="FuncSessionsFunctionContextExtensions.GetFuncSessionsIdentity"/>. It never answers by itself: a function
/// that needs a caller returns 401 when there is none, as with ASP.NET Core authentication without authorization.
/// </summary>
public sealed class FuncSessionsFunctionsMiddleware(FuncSessionsTokenVerifier verifier) : IFunctionsWorkerMiddleware
{
    internal const string PrincipalKey = "FuncSessions.Principal";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http
            && await verifier.VerifyAsync(FuncSessionsTokenReader.Read(http.Request), context.CancellationToken) is { } principal)
        {
            http.User = principal;
            context.Items[PrincipalKey] = principal;
        }

        await next(context);
    }
}

public static class FuncSessionsFunctionContextExtensions
{
    /// <summary>The verified caller of this invocation, or null when the request had no valid FuncSessions token.</summary>
    public static FuncSessionsIdentity? GetFuncSessionsIdentity(this FunctionContext context) =>
        context.Items.TryGetValue(FuncSessionsFunctionsMiddleware.PrincipalKey, out var principal)
            ? ((ClaimsPrincipal)principal).GetFuncSessionsIdentity()
            : null;
}
