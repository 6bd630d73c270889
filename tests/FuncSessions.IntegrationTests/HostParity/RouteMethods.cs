using FuncSessions.Http;

namespace FuncSessions.IntegrationTests.HostParity;

/// <summary>
/// Which methods the route table answers at a concrete path: a path can match several templates, e.g.
/// <c>passkeys/login</c> (POST) is also a <c>passkeys/{id}</c> (DELETE), and <c>second-factor/totp</c> has two methods.
/// </summary>
public static class RouteMethods
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>The concrete path a test calls for <paramref name="route"/>: its template with "some-id" for every parameter.</summary>
    public static string PathOf(AuthRoute route) =>
        "/api/" + string.Join('/', route.Template.Split('/').Select(s => s.StartsWith('{') ? "some-id" : s));

    public static IReadOnlyList<string> AllowedAt(string path) =>
        [.. AuthRoutes.All.Where(r => Matches(r.Template, path)).Select(r => r.Method).Distinct()];

    /// <summary>Every (route, method) where the method is answered by no template matching the route's path.</summary>
    public static IEnumerable<(AuthRoute Route, string Method)> WrongMethods() =>
        AuthRoutes.All.SelectMany(route => Methods.Except(AllowedAt(PathOf(route))).Select(method => (route, method)));

    private static bool Matches(string template, string path)
    {
        var (expected, actual) = (("api/" + template).Split('/'), path.TrimStart('/').Split('/'));
        return expected.Length == actual.Length && expected.Zip(actual).All(p => p.First == p.Second || p.First.StartsWith('{'));
    }
}
