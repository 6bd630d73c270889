using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace FuncSessions.Http;

/// <summary>
/// Answers an API request that no route took, the same on both hosts: 405 <c>method_not_allowed</c> with
/// <c>Allow</c> when the path is in <see cref="AuthRoutes"/> under other methods, otherwise 404 <c>not_found</c>;
/// inside <see cref="RequestGuards"/>, so with the headers of every API response.
/// </summary>
public sealed class ApiFallback(RequestGuards guards)
{
    private readonly IReadOnlyList<(TemplateMatcher Path, string Method)> _routes =
        AuthRoutes.All.Concat(AdminRoutes.All).Select(r => (new TemplateMatcher(TemplateParser.Parse(AuthRoutes.Prefix + "/" + r.Template), []), r.Method)).ToList();

    public Task<IResult> HandleAsync(HttpContext context) =>
        guards.GuardAsync(context, _ =>
        {
            var allowed = _routes.Where(r => r.Path.TryMatch(context.Request.Path, [])).Select(r => r.Method).Distinct().ToList();
            if (allowed.Count == 0)
            {
                return Task.FromResult(Problems.NotFound());
            }

            var allow = string.Join(", ", allowed);
            context.Response.Headers.Allow = allow;
            return Task.FromResult(Problems.MethodNotAllowed(allow));
        });
}
