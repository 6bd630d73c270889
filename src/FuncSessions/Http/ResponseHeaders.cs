namespace FuncSessions.Http;

/// <summary>Response headers the API defines, which cross-origin clients must be able to read.</summary>
public static class ResponseHeaders
{
    /// <summary>On any response whose session data changed: the client should re-read the session (validate).</summary>
    public const string RevalidateSession = "X-Revalidate-Session";

    /// <summary>What cross-origin pages need to read: the wait after a 429 and the re-read signal.</summary>
    public static readonly string[] Exposed = ["Retry-After", RevalidateSession];

    /// <summary><see cref="Exposed"/> as the <c>Access-Control-Expose-Headers</c> value, joined once.</summary>
    public static readonly string ExposedValue = string.Join(", ", Exposed);
}
