using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>
/// The OpenAPI 3.1 document of the whole API, the same bytes on both hosts: the self-host generates it from its endpoint
/// table with Microsoft.AspNetCore.OpenApi, and the generated copy is embedded here (a Functions app has no endpoint
/// table to generate it from at run time); a test fails when the two differ.
/// </summary>
public sealed class ApiDocumentEndpoints
{
    public const string ResourceName = "FuncSessions.openapi.json";

    private readonly byte[] _document = Load();

    public Task<IResult> OpenApiAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Task.FromResult<IResult>(TypedResults.Bytes(_document, "application/json"));
    }

    private static byte[] Load()
    {
        using var stream = typeof(ApiDocumentEndpoints).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
