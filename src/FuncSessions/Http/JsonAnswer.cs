using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>
/// A 200 JSON body serialized in one piece and written with its <c>Content-Length</c>. The session answers (validate on
/// every page load, login, refresh) are a few hundred bytes: <c>TypedResults.Json</c> streams them with chunked
/// encoding through an asynchronous serializer. Here the body is copied into the response's buffer unflushed, so the
/// handler completes without an await and the server sends headers and body together as the request ends, as it
/// does for a bodiless answer.
/// </summary>
public sealed class JsonAnswer<T>(T value, JsonTypeInfo<T> typeInfo) : IResult, IValueHttpResult, IValueHttpResult<T>, IStatusCodeHttpResult
{
    public const string ContentType = "application/json; charset=utf-8";

    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        response.BodyWriter.Write(body);
        return Task.CompletedTask;
    }
}
