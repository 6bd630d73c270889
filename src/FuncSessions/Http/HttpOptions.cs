using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Http;

/// <summary>How tokens travel between the API and the browser, and who may call it. Bound from <c>FuncSessions:Http</c>.</summary>
public sealed class HttpOptions
{
    public const string SectionName = "FuncSessions:Http";

    /// <summary>
    /// <see cref="TokenTransport.Cookie"/> (default): HttpOnly <c>__Host-</c> cookies, for a frontend on the same site as
    /// the API. <see cref="TokenTransport.Bearer"/>: tokens in JSON bodies and the Authorization header, for cross-site frontends.
    /// </summary>
    public TokenTransport TokenTransport { get; set; } = TokenTransport.Cookie;

    /// <summary>Largest accepted request body in bytes. Default 16 KiB.</summary>
    [Range(1024, 1_048_576)]
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Browser origins other than the API's own that may make state-changing requests, and that the self-host's CORS
    /// answers with credentials: exact origins (<c>https://app.example.com</c>), separated by commas. Default none.
    /// </summary>
    [RegularExpression(@"^\s*(https?://[^\s,/*]+\s*(,\s*https?://[^\s,/*]+\s*)*)?$",
        ErrorMessage = "FuncSessions:Http:AllowedOrigins must be exact origins such as https://app.example.com, separated by commas (no '*', no path).")]
    public string AllowedOrigins { get; set; } = "";

    /// <summary>
    /// Header a trusted reverse proxy writes the client address into (e.g. <c>X-Forwarded-For</c>), for per-client
    /// throttling and the session list. Empty (default): the connection's address. Set it only behind a proxy that
    /// always writes the header, or clients can pick their own address.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9-]*$")]
    public string ForwardedForHeader { get; set; } = "";

    /// <summary>
    /// How many trusted proxies append to <see cref="ForwardedForHeader"/>: the client address is that many entries from
    /// the right; anything further left was written by the client and is ignored. Default 1.
    /// </summary>
    [Range(1, 10)]
    public int ForwardedForHops { get; set; } = 1;

    /// <summary><see cref="AllowedOrigins"/> as a list.</summary>
    public IReadOnlyList<string> AllowedOriginList() =>
        AllowedOrigins.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Where the access and refresh tokens travel.</summary>
public enum TokenTransport
{
    Cookie,
    Bearer,
}
