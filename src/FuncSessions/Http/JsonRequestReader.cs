using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// Reads a JSON body with a hard size limit before parsing anything, and insists on <c>application/json</c>:
/// a cross-site form cannot send that without a CORS preflight, which keeps simple-request CSRF out.
/// </summary>
public sealed class JsonRequestReader(IOptions<HttpOptions> options)
{
    /// <summary>The body as <typeparamref name="T"/>, or the problem to answer with. An empty body yields <paramref name="empty"/>.</summary>
    public async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, T? empty = null)
        where T : class
    {
        if (!IsJson(context.Request.ContentType))
        {
            return (null, Problems.UnsupportedMediaType());
        }

        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return (null, Problems.BodyTooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, Problems.BodyTooLarge(limit));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return empty is null ? (null, Problems.InvalidJson("The body is empty.")) : (empty, null);
        }

        try
        {
            var value = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type);
            return value is null ? (null, Problems.InvalidJson("The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.InvalidJson(e.Path is null ? "Malformed JSON." : $"Malformed or unexpected JSON at '{e.Path}'."));
        }
    }

    /// <summary>True for <c>application/json</c> with optional parameters such as charset.</summary>
    public static bool IsJson(string? contentType) =>
        contentType is not null
        && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
