using System.Buffers;

namespace FuncSessions.Bench;

/// <summary>
/// One HTTP answer as a server sent it, minus what Kestrel writes itself (Date, Content-Length): captured from a real
/// validate, then replayed by the constant server, so a row can show what the answer's shape costs without the work behind it.
/// </summary>
public sealed record ReplayedAnswer(string[][] Headers, byte[] Body)
{
    private static readonly HashSet<string> WrittenByKestrel = new(["Date", "Content-Length", "Server", "Transfer-Encoding"], StringComparer.OrdinalIgnoreCase);

    public static readonly ReplayedAnswer Empty = new([], []);

    /// <summary>The answer the server gives <paramref name="request"/>, as this record.</summary>
    public static async Task<ReplayedAnswer> CaptureAsync(Uri baseAddress, HttpRequestMessage request)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = baseAddress };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => !WrittenByKestrel.Contains(h.Key))
            .Select(h => new[] { h.Key, string.Join(", ", h.Value) })
            .ToArray();
        return new ReplayedAnswer(headers, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Writes the answer as <c>JsonAnswer</c> writes validate's: headers, length, the body into the response buffer.</summary>
    public Task WriteAsync(HttpResponse response)
    {
        foreach (var header in Headers)
        {
            response.Headers[header[0]] = header[1];
        }

        response.ContentLength = Body.Length;
        response.BodyWriter.Write(Body);
        return Task.CompletedTask;
    }
}
