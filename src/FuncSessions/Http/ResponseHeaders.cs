using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>Response headers the API defines, which cross-origin clients must be able to read.</summary>
public static class ResponseHeaders
{
    /// <summary>On a 429 or 503: whole seconds to wait before trying again.</summary>
    public const string RetryAfter = "Retry-After";

    /// <summary>On any response whose session data changed: the client should re-read the session (validate).</summary>
    public const string RevalidateSession = "X-Revalidate-Session";

    /// <summary>What cross-origin pages need to read: the wait after a 429 and the re-read signal.</summary>
    public static readonly string[] Exposed = [RetryAfter, RevalidateSession];

    /// <summary><see cref="Exposed"/> as the <c>Access-Control-Expose-Headers</c> value, joined once.</summary>
    public static readonly string ExposedValue = string.Join(", ", Exposed);

    /// <summary>Sets one of the <see cref="Exposed"/> headers, and <c>Access-Control-Expose-Headers</c> beside it.</summary>
    // Note: the Functions host's CORS (and siteConfig.cors) never sends Access-Control-Expose-Headers, so without it an
    // allowlisted page could not read these; the host leaves it in place. Only the answers that carry one of them need
    // it, so validate's, on every page load, goes without. Naming the headers tells no origin anything the docs do not.
    public static void SetExposed(IHeaderDictionary headers, string name, string value)
    {
        headers[name] = value;
        headers.AccessControlExposeHeaders = ExposedValue;
    }
}
