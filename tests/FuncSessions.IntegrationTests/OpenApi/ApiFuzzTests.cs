using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.OpenApi;

/// <summary>
/// A property-based fuzzer driven by the served OpenAPI document, bounded in time (<c>FUZZ_SECONDS</c>, default 30) and
/// seeded (<c>FUZZ_SEED</c>, default 18; a failure names the seed and the request): bodies generated from each
/// operation's schema and then broken (wrong types, missing and unknown fields, huge strings, unicode, unpaired
/// surrogate escapes, malformed JSON), wrong content types, wrong methods, stray paths, forged and real tokens, foreign
/// origins, and on the admin routes the admin key, a wrong one or none. Properties: no 5xx; every 4xx is problem JSON whose <c>code</c> the document lists under that status for
/// that operation; every status is one the document lists (405 <c>method_not_allowed</c> for a method a path does not
/// have, 404 <c>not_found</c> for a path that does not exist).
/// </summary>
public sealed class ApiFuzzTests(AzuriteFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : ApiTest(fixture)
{
    private static readonly string[] AnyMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private static readonly string?[] ContentTypes =
        ["application/json", "application/json", "application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
         "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json", "multipart/form-data; boundary=x", null];

    // Note: written as JSON text, not as .NET strings, so that escapes such as an unpaired surrogate reach the server as such.
    private static readonly string[] EdgeStrings =
        ["\"\"", "\" \"", "\"a\"", "\"alice\"", "\"correct horse battery staple\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\"",
         "\"a\\ud800b\"", "\"\\udc00\\ud800\"", "\"😀\"", "\"İstanbul\"", "\"ﬁ\"", "\"e\\u0301\"", "\"\\u202e\"", "\"null\"",
         "\"<script>\"", "\"' OR 1=1 --\"", "\"../../etc/passwd\"", "\"%00\"", "\"line\\nbreak\"", "\"\\t\"", "\"exp\"", "\"sub\"",
         "\"\\uFEFF\"", "\"\\uFFFF\""];

    private static readonly string[] BrokenBodies =
        ["", "{", "}", "[]", "null", "0", "\"text\"", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "\u00ff\u00fe", "{\"username\":\"\\ud800\"}",
         "{\"username\":\"x\",\"username\":\"y\"}", "[{}]", "{\"a\":NaN}", "{\"a\":1e999}", "\uFEFF{}"];

    private const string AdminKey = "fuzzer-admin-key-0123456789abcdefABCDEF";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Admin:Keys:fuzzer"] = AdminKey,
        ["FuncSessions:Http:TokenTransport"] = "Bearer",
        ["FuncSessions:Sessions:ClientWritableDataKeys"] = "theme,locale",
        // Note: the address budget would otherwise turn most of the run into 429s; 429 stays a documented answer.
        ["FuncSessions:Throttling:ClientLimit"] = "100000",
        ["FuncSessions:Throttling:RegistrationsPerClientWindow"] = "100000",
    };

    [Fact]
    public async Task Fuzzing_from_the_document_finds_no_5xx_no_undocumented_status_and_only_problem_json_errors()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 18;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), CultureInfo.InvariantCulture, out var d) ? d : 30;
        var random = new Random(seed);
        using var client = Server.CreateClient();
        using var documentResponse = await client.GetAsync("/api/auth/openapi.json");
        var document = await documentResponse.JsonAsync();
        var operations = OpenApiDocumentTests.Operations(document).ToList();
        var documentedPaths = operations.Select(o => o.Path).Distinct().ToList();
        // Note: the ids and usernames of the fuzzer's own accounts, so admin bodies sometimes name a real user.
        var known = new List<string>();
        var token = await FreshSessionAsync(client, known);

        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var adminStatuses = new SortedDictionary<int, int>();
        var count = 0;
        while (DateTime.UtcNow < deadline && failures.Count < 5)
        {
            count++;
            var kind = random.Next(10);
            var (method, path, operation) = kind switch
            {
                0 => WrongMethod(random, operations, documentedPaths),
                1 => ("GET", "/api/auth/" + PathSegment(random), null),
                _ => Documented(random, operations),
            };
            var template = path;
            path = path.Replace("{id}", PathSegment(random), StringComparison.Ordinal);
            var (body, contentType) = Body(random, operation, document, known);

            client.BearerToken = random.Next(4) switch
            {
                0 => null,
                1 => "eyJhbGciOiJub25lIn0.e30." + random.Next(),
                _ => token,
            };
            client.Headers.Clear();
            if (random.Next(8) == 0)
            {
                client.Headers["Origin"] = "https://evil.example";
            }

            // Note: mostly the right key, so the admin handlers are reached and not only the key check.
            if (RequiresAdminKey(operation) && random.Next(4) is var keyChoice and > 0)
            {
                client.Headers["x-functions-key"] = keyChoice == 1 ? AdminKey[..^1] + "!" : AdminKey;
            }

            HttpContent? content = body is null ? null : new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (content is not null && contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            var request = $"#{count} {method} {path} ({contentType ?? "no type"}, origin {client.Headers.GetValueOrDefault("Origin") ?? "-"}, " +
                $"admin key {(client.Headers.GetValueOrDefault("x-functions-key") is { } key ? key == AdminKey ? "right" : "wrong" : "-")}): " +
                (body is null ? "no body" : body.Length > 200 ? body[..200] + $"... ({body.Length} chars)" : body);
            using var response = await client.SendAsync(new HttpMethod(method), path, content);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (RequiresAdminKey(operation))
            {
                adminStatuses[status] = adminStatuses.GetValueOrDefault(status) + 1;
            }
            if (Check(response, status, await response.Content.ReadAsStringAsync(), operation, template, method, documentedPaths) is { } failure)
            {
                failures.Add($"{failure}\n    {request}");
            }

            // Note: the fuzzer's own session may end (logout, a password change, a lockout, an admin action); it carries on in a new one.
            if (operation is not null && client.BearerToken == token && status == 401 && method != "POST")
            {
                token = await FreshSessionAsync(client, known);
            }
        }

        output.WriteLine($"FUZZ_SEED={seed}, {seconds} s: {count} requests; statuses " +
            string.Join(", ", statuses.Select(p => $"{p.Key}x{p.Value}")) + "; admin routes " +
            string.Join(", ", adminStatuses.Select(p => $"{p.Key}x{p.Value}")));
        Assert.True(failures.Count == 0,
            $"FUZZ_SEED={seed}: {failures.Count} failures in {count} requests:\n{string.Join("\n", failures)}");
        Assert.True(count > 50, $"only {count} requests in {seconds} s");
        // Note: the run must reach the handlers, not only the guards: successes and handler-level problems both occur.
        Assert.Contains(statuses.Keys, k => k is >= 200 and < 300);
        Assert.Contains(400, statuses.Keys);
        Assert.Contains(415, statuses.Keys);
        Assert.Contains(405, statuses.Keys);
        Assert.Contains(adminStatuses.Keys, k => k is >= 200 and < 300);
    }

    private static bool RequiresAdminKey(JsonObject? operation) =>
        operation?["security"]?.AsArray().Any(s => s!.AsObject().ContainsKey("adminKey")) == true;

    private static string? Check(
        HttpResponseMessage response, int status, string text, JsonObject? operation, string template, string method, List<string> paths)
    {
        if (status >= 500)
        {
            return $"{status}: a 5xx";
        }

        string? code = null;
        // Note: a HEAD answer has no body by definition; its status is still checked.
        if (status >= 400 && method == "HEAD")
        {
            return status == 405 && operation is null && paths.Contains(template) ? null : $"HEAD {template}: {status}";
        }

        if (status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no type"}, not problem JSON";
            }

            try
            {
                code = (string?)JsonNode.Parse(text)?["code"];
            }
            catch (JsonException)
            {
            }

            if (code is null)
            {
                return $"{status} problem without a code: {text}";
            }
        }

        if (operation is null)
        {
            var expected = paths.Contains(template) ? (405, "method_not_allowed") : (404, "not_found");
            // Note: the fallback runs inside the request guards, so a foreign origin is refused before the path is looked at.
            var refusedOrigin = (status, code) == (403, "origin_not_allowed") && method is not ("GET" or "HEAD" or "OPTIONS");
            return (status, code) == expected || refusedOrigin ? null : $"{status} {code}, expected {expected} for {method} {template}";
        }

        var responses = operation["responses"]!.AsObject();
        if (responses[status.ToString(CultureInfo.InvariantCulture)] is not { } documented)
        {
            return $"{status} {code}: not a status the document lists ({string.Join(", ", responses.Select(r => r.Key))})";
        }

        if (code is not null && documented["x-problem-codes"]?.AsArray().Any(c => (string?)c == code) != true)
        {
            return $"{status} {code}: not a code the document lists under {status}";
        }

        return null;
    }

    private static (string, string, JsonObject?) Documented(Random random, List<(string Method, string Path, JsonObject Operation)> operations)
    {
        var o = operations[random.Next(operations.Count)];
        return (o.Method, o.Path, o.Operation);
    }

    private static (string, string, JsonObject?) WrongMethod(Random random, List<(string Method, string Path, JsonObject Operation)> operations, List<string> paths)
    {
        var path = paths[random.Next(paths.Count)];
        // Note: a literal path can also match another operation's template ("passkeys/login" is a "passkeys/{id}"), whose
        // methods are then no wrong ones.
        var methods = AnyMethods.Where(m => !operations.Any(o => o.Method == m && TemplateMatches(o.Path, path))).ToList();
        return (methods[random.Next(methods.Count)], path, null);
    }

    private static bool TemplateMatches(string template, string path)
    {
        var (expected, actual) = (template.Split('/'), path.Split('/'));
        return expected.Length == actual.Length
            && expected.Zip(actual).All(p => p.First == p.Second || (p.First.StartsWith('{') && !p.Second.StartsWith('{')));
    }

    private static string PathSegment(Random random)
    {
        // Note: no %00: Kestrel refuses a NUL in the path with a bare 400 before any middleware runs (the app never sees
        // it); no "..": HttpClient removes dot segments, so the server would get another path than the one checked.
        string[] segments = ["x", "nope", new string('a', 24), new string('z', 3000), "%ED%A0%80", "%F0%9F%98%80", "%2F", "a%20b", "İ", "%ZZ"];
        return random.Next(3) == 0 ? Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())).ToLowerInvariant() : segments[random.Next(segments.Length)];
    }

    private static (string? Body, string? ContentType) Body(Random random, JsonObject? operation, JsonObject document, List<string> known)
    {
        var schema = operation?["requestBody"]?["content"]?["application/json"]?["schema"];
        var contentType = ContentTypes[random.Next(ContentTypes.Length)];
        return random.Next(10) switch
        {
            0 => (BrokenBodies[random.Next(BrokenBodies.Length)], contentType),
            1 => (null, contentType),
            2 => ("{\"username\":\"" + new string('u', random.Next(2) == 0 ? 5000 : 20000) + "\",\"password\":\"x\"}", contentType),
            _ => (Value(random, schema, document, known, 0), contentType),
        };
    }

    /// <summary>A JSON text for <paramref name="schema"/>, with a fair chance of breaking it at every level.</summary>
    private static string Value(Random random, JsonNode? schema, JsonObject document, List<string> known, int depth)
    {
        if (schema?["$ref"] is { } reference)
        {
            schema = document["components"]!["schemas"]![((string)reference!).Split('/')[^1]];
        }

        if (schema is null || depth > 3 || random.Next(12) == 0)
        {
            return AnyValue(random, depth);
        }

        var types = schema["type"] switch
        {
            JsonArray array => array.Select(t => (string)t!).ToArray(),
            JsonValue value => [(string)value!],
            _ => ["object"],
        };
        switch (types[random.Next(types.Length)])
        {
            case "object":
                var members = new List<string>();
                foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
                {
                    if (random.Next(6) != 0)
                    {
                        members.Add($"\"{name}\":{Value(random, property, document, known, depth + 1)}");
                    }
                }

                // Note: unknown members: refused for typed bodies, data keys for a merge patch (valid, invalid or reserved).
                for (var i = random.Next(schema["properties"] is null ? 4 : 2) - (schema["properties"] is null ? 0 : 1); i > 0; i--)
                {
                    string[] names = ["theme", "locale", "roles", "exp", "Sub", "9bad", "ok.key", "a b", "\\ud800", new string('k', 70), "extra"];
                    members.Add($"\"{names[random.Next(names.Length)]}\":{AnyValue(random, depth + 1)}");
                }

                return "{" + string.Join(",", members) + "}";
            case "string":
                return random.Next(4) switch
                {
                    0 => JsonSerializer.Serialize(RandomText(random)),
                    1 when known.Count > 0 => JsonSerializer.Serialize(known[random.Next(known.Count)]),
                    _ => EdgeStrings[random.Next(EdgeStrings.Length)],
                };
            case "integer":
                return random.Next(3) == 0 ? "-1" : random.Next().ToString(CultureInfo.InvariantCulture);
            case "boolean":
                return random.Next(2) == 0 ? "true" : "false";
            case "null":
                return "null";
            default:
                return AnyValue(random, depth);
        }
    }

    private static string AnyValue(Random random, int depth) => random.Next(depth > 2 ? 6 : 8) switch
    {
        0 => "null",
        1 => "true",
        2 => random.Next(3) switch { 0 => "0", 1 => "-1.5e300", _ => "12345678901234567890" },
        3 => EdgeStrings[random.Next(EdgeStrings.Length)],
        4 => JsonSerializer.Serialize(RandomText(random)),
        5 => "\"" + new string('s', random.Next(2) == 0 ? 1500 : 17000) + "\"",
        6 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => AnyValue(random, depth + 1))) + "]",
        _ => "{\"k\":" + AnyValue(random, depth + 1) + "}",
    };

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(40);
        for (var i = 0; i < length; i++)
        {
            // Note: any scalar value outside the surrogate range: ASCII, Latin, CJK, emoji, controls.
            var codePoint = random.Next(4) switch { 0 => random.Next(0x20, 0x7F), 1 => random.Next(0, 0x20), 2 => random.Next(0xA0, 0xD7FF), _ => random.Next(0x1F300, 0x1F6FF) };
            builder.Append(char.ConvertFromUtf32(codePoint));
        }

        return builder.ToString();
    }

    private async Task<string> FreshSessionAsync(ApiClient client, List<string> known)
    {
        client.BearerToken = null;
        client.Headers.Clear();
        var username = await RegisterAsync(client);
        var login = await LoginAsync(client, username);
        known.AddRange([username, (string)login["userId"]!]);
        return (string)login["accessToken"]!;
    }
}
