using System.Buffers;

namespace FuncSessions.Bench;

/// <summary>
/// One HTTP answer as a server sent it, minus what Kestrel writes itself (Date, Content-Length): captured from a real
/// validate, then replayed by the constant server, so a row can show what the answer's shape costs without the work behind it.
/// </summary>
/// <remarks><see cref="Headers"/> holds one <c>[name, value]</c> pair per header line.</remarks>
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
        // Note: NonValidated gives the header lines as received; the parsed view would split "a, b" into two values.
        var headers = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .Where(h => !WrittenByKestrel.Contains(h.Key))
            .SelectMany(h => h.Value.Select(value => new[] { h.Key, value }))
            .ToArray();
        return new ReplayedAnswer(headers, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Writes the answer as <c>JsonAnswer</c> writes validate's: headers, length, the body into the response buffer.</summary>
    public Task WriteAsync(HttpResponse response)
    {
        // Note: one line per value, as sent: a header such as Set-Cookie cannot be joined into one.
        foreach (var header in Headers)
        {
            response.Headers.Append(header[0], header[1]);
        }

        response.ContentLength = Body.Length;
        response.BodyWriter.Write(Body);
        return Task.CompletedTask;
    }
}
