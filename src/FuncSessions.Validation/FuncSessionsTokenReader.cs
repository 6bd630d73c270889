using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace FuncSessions.Validation;

/// <summary>Where a FuncSessions access token arrives: the Authorization bearer header, else the <c>__Host-fs-at</c> cookie.</summary>
public static class FuncSessionsTokenReader
{
    public const string AccessTokenCookie = "__Host-fs-at";

    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return FromAuthorization(request.Headers.Authorization.ToString()) ?? Empty(request.Cookies[AccessTokenCookie]);
    }

    /// <summary>The same rule over raw header values, for hosts without <see cref="HttpRequest"/> (e.g. a Functions middleware).</summary>
    public static string? Read(string? authorizationHeader, string? cookieHeader) =>
        FromAuthorization(authorizationHeader) ?? FromCookieHeader(cookieHeader);

    private static string? FromAuthorization(string? header) =>
        header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Empty(header["Bearer ".Length..].Trim()) : null;

    private static string? FromCookieHeader(string? header)
    {
        if (string.IsNullOrEmpty(header) || !CookieHeaderValue.TryParseList([header], out var cookies))
        {
            return null;
        }

        return Empty(cookies.FirstOrDefault(c => c.Name.Equals(AccessTokenCookie, StringComparison.Ordinal))?.Value.ToString());
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
