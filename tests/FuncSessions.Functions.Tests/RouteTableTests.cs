using System.Text.Json;
using FuncSessions.Functions.Tests.Infrastructure;
using FuncSessions.Host;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FuncSessions.Functions.Tests;

/// <summary>
/// The Functions app, as the host indexes it from the generated functions.metadata, serves exactly the routes and
/// methods the self-host serves, all anonymous but the admin API's.
/// </summary>
public sealed class RouteTableTests
{
    [Fact]
    public async Task Every_self_host_route_has_exactly_one_anonymous_function_with_the_same_route_and_method_and_vice_versa()
    {
        var (selfHost, _) = await SelfHostEndpointsAsync();
        var prefix = RoutePrefixFromHostJson();
        var functions = FunctionCatalog.Routes
            .SelectMany(f => f.Http!.Methods!.Select(m => (Method: m.ToUpperInvariant(), Path: $"/{prefix}/{f.Http.Route}")))
            .ToList();

        Assert.NotEmpty(selfHost);
        Assert.Equal(functions.Count, functions.Distinct().Count());
        Assert.Equal(selfHost.Order(), functions.Order());
    }

    [Fact]
    public async Task Both_hosts_have_one_catch_all_for_every_method_under_the_api()
    {
        var (_, fallbacks) = await SelfHostEndpointsAsync();
        var catchAll = FunctionCatalog.Http.Where(f => f.Http!.Route.Contains("{*", StringComparison.Ordinal)).ToList();

        Assert.Equal(["/api/{**path}"], fallbacks);
        var function = Assert.Single(catchAll);
        Assert.Equal(FallbackFunction.Name, function.Name);
        Assert.Equal("auth/{*path}", function.Http!.Route);
        Assert.Null(function.Http.Methods);
        Assert.Equal("Anonymous", function.Http.AuthLevel);
    }

    [Fact]
    public void The_catch_all_comes_last_in_the_order_the_Functions_host_tries_routes()
    {
        // Note: the host tries HTTP routes in order of function name, case-insensitively, first match wins.
        var order = FunctionCatalog.Http.Select(f => f.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();

        Assert.Equal(FallbackFunction.Name, order[^1]);
    }

    [Fact]
    public void Every_http_function_is_anonymous_names_a_method_and_a_route_and_has_a_unique_valid_name()
    {
        var admin = AdminRoutes.All.Select(r => r.Name).ToHashSet();
        Assert.All(FunctionCatalog.Http, f =>
        {
            // Note: the admin API is the one place a key belongs: the Functions host checks it (function or host key).
            Assert.Equal(admin.Contains(f.Name) ? "Function" : "Anonymous", f.Http!.AuthLevel);
            Assert.NotEmpty(f.Http.Route);
        });
        Assert.All(FunctionCatalog.Routes, f => Assert.NotEmpty(f.Http!.Methods!));
        Assert.All(FunctionCatalog.All, f => Assert.Matches("^[A-Za-z][A-Za-z0-9_-]{0,126}$", f.Name));
        Assert.Equal(FunctionCatalog.All.Count, FunctionCatalog.All.Select(f => f.Name).Distinct().Count());
    }

    [Fact]
    public void Functions_are_named_after_the_route_table_rows()
    {
        var rows = AuthRoutes.All.Concat(AdminRoutes.All).ToList();
        Assert.Equal(rows.Select(r => r.Name).Order(), FunctionCatalog.Routes.Select(f => f.Name).Order());
        Assert.All(rows, route =>
        {
            var function = FunctionCatalog.Named(route.Name).Http!;
            Assert.Equal(route.Template, function.Route);
            Assert.Equal([route.Method], function.Methods!.Select(m => m.ToUpperInvariant()));
        });
    }

    [Fact]
    public void No_function_route_starts_with_admin_which_the_Functions_host_reserves()
    {
        // Note: the host refuses such a function at start-up ("The specified route conflicts with one or more built in
        // routes"), whatever the route prefix; nothing at build time would notice.
        Assert.All(FunctionCatalog.Http, f => Assert.False(f.Http!.Route.StartsWith("admin", StringComparison.OrdinalIgnoreCase), f.Name));
    }

    [Fact]
    public void Route_parameters_bind_to_parameters_of_the_same_name()
    {
        Assert.All(FunctionCatalog.Routes, f =>
        {
            var routeParameters = RoutePatternParameters(f.Http!.Route);
            var methodParameters = f.Method.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => p.Name!);
            Assert.Equal(routeParameters.Order(), methodParameters.Order());
        });
    }

    [Fact]
    public void Host_json_is_version_2_with_the_route_prefix_the_routes_assume()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")));
        Assert.Equal("2.0", hostJson.RootElement.GetProperty("version").GetString());
        Assert.Equal(AuthRoutes.Prefix, RoutePrefixFromHostJson());
        Assert.False(hostJson.RootElement.TryGetProperty("extensionBundle", out _), "extension bundles are for non-.NET apps");
    }

    private static string RoutePrefixFromHostJson()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")));
        return hostJson.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString()!;
    }

    private static IEnumerable<string> RoutePatternParameters(string template) =>
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(template).Parameters.Select(p => p.Name);

    /// <summary>The self-host's endpoints: its routes by method, and the paths of its fallbacks (no method metadata).</summary>
    private static async Task<(List<(string Method, string Path)> Routes, List<string> Fallbacks)> SelfHostEndpointsAsync()
    {
        var app = SelfHost.Build(SelfHost.CreateBuilder(["--urls", "http://127.0.0.1:0"]));
        await using (app)
        {
            var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
            var routes = endpoints
                .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
                .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                    .Select(m => (Method: m, Path: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
                .ToList();
            var fallbacks = endpoints
                .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is null)
                .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
                .ToList();
            return (routes, fallbacks);
        }
    }
}
