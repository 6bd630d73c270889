using FuncSessions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncSessions.Functions;

/// <summary>
/// One function per row of <see cref="AdminRoutes"/>, at <c>AuthorizationLevel.Function</c>: the Functions host answers
/// 401 unless the request carries a function key or a host key (<c>x-functions-key</c> header or <c>code</c> query),
/// so the admin key is the app's own host key and there is no secret of ours to deploy or rotate.
/// </summary>
public sealed class AdminFunctions(AdminEndpoints admin)
{
    [Function("AdminFindUser")]
    public Task<IResult> FindUser([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.FindUser)] HttpRequest request) =>
        admin.FindUserAsync(request.HttpContext, Key(request));

    [Function("AdminDisableUser")]
    public Task<IResult> DisableUser([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.DisableUser)] HttpRequest request) =>
        admin.SetDisabledAsync(request.HttpContext, Key(request), disabled: true);

    [Function("AdminEnableUser")]
    public Task<IResult> EnableUser([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.EnableUser)] HttpRequest request) =>
        admin.SetDisabledAsync(request.HttpContext, Key(request), disabled: false);

    [Function("AdminDeleteUser")]
    public Task<IResult> DeleteUser([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.DeleteUser)] HttpRequest request) =>
        admin.DeleteUserAsync(request.HttpContext, Key(request));

    [Function("AdminEndUserSessions")]
    public Task<IResult> EndUserSessions([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.EndUserSessions)] HttpRequest request) =>
        admin.EndUserSessionsAsync(request.HttpContext, Key(request));

    [Function("AdminEndAllSessions")]
    public Task<IResult> EndAllSessions([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.EndAllSessions)] HttpRequest request) =>
        admin.EndAllSessionsAsync(request.HttpContext, Key(request));

    private static string Key(HttpRequest request) => AdminEndpoints.FunctionsHostKeyName(request.HttpContext);
}
