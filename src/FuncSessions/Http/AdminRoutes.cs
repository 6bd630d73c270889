using FuncSessions.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSessions.Http;

/// <summary>
/// The admin API's routes, relative to the <c>api</c> prefix like <see cref="AuthRoutes"/>. On the Functions app each
/// row is a function with <c>AuthorizationLevel.Function</c> (the host checks the function or host key); on the
/// self-host <see cref="Invoke"/> checks <c>x-functions-key</c> against <see cref="AdminOptions"/> first.
/// </summary>
/// <remarks>
/// Note: every operation is a POST with a JSON body, so user ids, usernames and addresses never appear in a URL, which
/// the Functions host, Application Insights and proxies log. Under <c>auth/admin/</c>, not <c>admin/</c>: the Functions host refuses any function route that starts with
/// <c>admin</c> ("The specified route conflicts with one or more built in routes"), whatever the route prefix, because
/// <c>/admin/…</c> is its own management API.
/// </remarks>
public static class AdminRoutes
{
    public const string FindUser = "auth/admin/users/find";
    public const string DisableUser = "auth/admin/users/disable";
    public const string EnableUser = "auth/admin/users/enable";
    public const string DeleteUser = "auth/admin/users/delete";
    public const string EndUserSessions = "auth/admin/users/end-sessions";
    public const string EndAllSessions = "auth/admin/sessions/end-all";

    public static IReadOnlyList<AuthRoute> All { get; } =
    [
        new("AdminFindUser", HttpMethods.Post, FindUser, Gated((e, c, key) => e.FindUserAsync(c, key))),
        new("AdminDisableUser", HttpMethods.Post, DisableUser, Gated((e, c, key) => e.SetDisabledAsync(c, key, disabled: true))),
        new("AdminEnableUser", HttpMethods.Post, EnableUser, Gated((e, c, key) => e.SetDisabledAsync(c, key, disabled: false))),
        new("AdminDeleteUser", HttpMethods.Post, DeleteUser, Gated((e, c, key) => e.DeleteUserAsync(c, key))),
        new("AdminEndUserSessions", HttpMethods.Post, EndUserSessions, Gated((e, c, key) => e.EndUserSessionsAsync(c, key))),
        new("AdminEndAllSessions", HttpMethods.Post, EndAllSessions, Gated((e, c, key) => e.EndAllSessionsAsync(c, key))),
    ];

    private static Func<IServiceProvider, HttpContext, Task<IResult>> Gated(Func<AdminEndpoints, HttpContext, string, Task<IResult>> call) =>
        (services, context) =>
        {
            var endpoints = services.GetRequiredService<AdminEndpoints>();
            return endpoints.SelfHostGateAsync(context, key => call(endpoints, context, key));
        };
}
