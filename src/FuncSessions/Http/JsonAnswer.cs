using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>
/// A 200 JSON body serialized in one piece and written with its <c>Content-Length</c>. The session answers (validate on
/// every page load, login, refresh) are a few hundred bytes: <c>TypedResults.Json</c> streams them with chunked
/// encoding through an asynchronous serializer, where one buffer and one flushed write hand the server headers and
/// body together.
/// </summary>
public sealed class JsonAnswer<T>(T value, JsonTypeInfo<T> typeInfo) : IResult, IValueHttpResult, IValueHttpResult<T>, IStatusCodeHttpResult
{
    public const string ContentType = "application/json; charset=utf-8";

    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        await response.BodyWriter.WriteAsync(body);
    }
}
