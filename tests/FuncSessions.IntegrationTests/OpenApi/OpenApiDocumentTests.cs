using System.Net;
using System.Text.Json.Nodes;
using FuncSessions.Host;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document at <c>/api/auth/openapi.json</c>: every route of <see cref="AuthRoutes"/> and
/// <see cref="AdminRoutes"/> is in it and nothing else, with its problem codes and security schemes, and it is what the framework generates from the
/// self-host's endpoint table now (the served copy is checked in; <c>UPDATE_OPENAPI=1</c> rewrites it).
/// </summary>
public sealed class OpenApiDocumentTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    // Note: from the route tables themselves, not RouteDocs.Routes, so a table the document leaves out fails here.
    private static readonly AuthRoute[] Routes = [.. AuthRoutes.All, .. AdminRoutes.All];

    [Fact]
    public async Task Every_route_is_documented_and_every_documented_operation_is_a_route()
    {
        var document = await ServedDocumentAsync();

        var documented = Operations(document).Select(o => (o.Method, o.Path)).Order().ToList();
        var routes = Routes.Select(r => (r.Method, "/" + AuthRoutes.Prefix + "/" + r.Template)).Order().ToList();
        Assert.Equal(routes, documented);
        Assert.Equal(Routes.Select(r => r.Name).Order(), RouteDocs.ByName.Keys.Order());
    }

    [Fact]
    public async Task Every_operation_lists_each_problem_code_it_can_answer_under_its_status_and_its_security()
    {
        var document = await ServedDocumentAsync();

        Assert.StartsWith("3.1.", (string?)document["openapi"], StringComparison.Ordinal);
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("__Host-fs-at", (string?)schemes["accessTokenCookie"]!["name"]);
        Assert.Equal("cookie", (string?)schemes["accessTokenCookie"]!["in"]);
        Assert.Equal("bearer", (string?)schemes["bearer"]!["scheme"]);
        Assert.Equal("x-functions-key", (string?)schemes["adminKey"]!["name"]);
        Assert.Equal("header", (string?)schemes["adminKey"]!["in"]);
        foreach (var route in Routes)
        {
            var operation = Operations(document).Single(o => o.Method == route.Method && o.Path == "/api/" + route.Template).Operation;
            Assert.Equal(route.Name, (string?)operation["operationId"]);
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey(RouteDocs.ByName[route.Name].SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)), route.Name);
            foreach (var (status, codes) in RouteDocs.ProblemResponses(route))
            {
                var response = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!;
                Assert.Equal(codes, response["x-problem-codes"]!.AsArray().Select(c => (string)c!));
                Assert.NotNull(response["content"]!["application/problem+json"]);
            }

            var security = operation["security"]?.AsArray().SelectMany(s => s!.AsObject().Select(p => p.Key)).ToList() ?? [];
            var credential = RouteDocs.ByName[route.Name].Credential;
            if (credential == RouteCredential.AccessToken)
            {
                Assert.Equal(["accessTokenCookie", "bearer"], security);
            }

            // Note: the admin key is the only way in: no alternative (such as an empty requirement) beside it.
            Assert.Equal(credential == RouteCredential.AdminKey, security.SequenceEqual(["adminKey"]));
            Assert.Equal(credential == RouteCredential.AdminKey, operation["tags"]!.AsArray().Any(t => (string?)t == "admin"));
        }

        var login = Operations(document).Single(o => o.Path == "/api/auth/login").Operation;
        Assert.NotNull(login["requestBody"]!["content"]!["application/json"]!["schema"]);
        var find = Operations(document).Single(o => o.Path == "/api/" + AdminRoutes.FindUser).Operation;
        Assert.Equal(["admin_key_required"], find["responses"]!["401"]!["x-problem-codes"]!.AsArray().Select(c => (string)c!));
        Assert.Contains("user_not_found", find["responses"]!["404"]!["x-problem-codes"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public async Task The_served_document_is_the_one_the_framework_generates_from_the_endpoint_table()
    {
        var generated = JsonNode.Parse(await ApiDocument.GenerateAsync(Server.Services, CancellationToken.None))!;
        var served = await ServedDocumentAsync();

        if (!JsonNode.DeepEquals(generated, served) && Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            var path = Path.Combine(RepositoryRoot.Path, "src", "FuncSessions", "Http", "openapi.json");
            await File.WriteAllTextAsync(path, generated.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            Assert.Fail($"Wrote {path}: rebuild and run again.");
        }

        Assert.True(JsonNode.DeepEquals(generated, served),
            "src/FuncSessions/Http/openapi.json is not what the self-host generates: run this test with UPDATE_OPENAPI=1, rebuild, rerun.");
    }

    private async Task<JsonObject> ServedDocumentAsync()
    {
        using var client = Server.CreateClient();
        using var response = await client.GetAsync("/api/auth/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return await response.JsonAsync();
    }

    internal static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select (method.Key.ToUpperInvariant(), path.Key, method.Value!.AsObject());
}
