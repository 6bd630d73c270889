using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FuncSessions.Http;

/// <summary>
/// One cookie of the request, found in its <c>Cookie</c> headers without parsing the others. A browser sends every
/// cookie of the site on every call, the refresh token among them, and validate runs on every page load: ASP.NET Core's
/// <c>Request.Cookies</c> makes a string of each value and a dictionary of them all, which was a third of validate's
/// allocations. It reads as that collection does (pairs split at <c>;</c>, spaces trimmed, an empty value is none, quotes
/// kept) except in two places, both as RFC 6265 §5.4 has it: names match case-sensitively, so a <c>__host-…</c> cookie,
/// which a browser lets a sibling subdomain set, never stands in for a <c>__Host-</c> one; and the first pair of a
/// name wins, the one the browser lists first (the most specific path, then the oldest).
/// </summary>
internal static class RequestCookies
{
    public static string? Get(HttpRequest request, string name) =>
        TryFind(request.Headers.Cookie, name, out var value) ? value.ToString() : null;

    /// <summary>The cookie's value where the request holds it (empty when it is missing), without making a string of it.</summary>
    public static ReadOnlySpan<char> Find(HttpRequest request, string name) =>
        TryFind(request.Headers.Cookie, name, out var value) ? value : default;

    public static bool Has(HttpRequest request, string name) => TryFind(request.Headers.Cookie, name, out _);

    private static bool TryFind(StringValues headers, string name, out ReadOnlySpan<char> value)
    {
        foreach (var header in headers)
        {
            var rest = header.AsSpan();
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf(';');
                var pair = (end < 0 ? rest : rest[..end]).Trim(" \t");
                rest = end < 0 ? [] : rest[(end + 1)..];
                var equals = pair.IndexOf('=');
                if (equals > 0 && pair[..equals].TrimEnd(" \t").SequenceEqual(name))
                {
                    value = pair[(equals + 1)..].TrimStart(" \t");
                    return !value.IsEmpty;
                }
            }
        }

        value = default;
        return false;
    }
}
