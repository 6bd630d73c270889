using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Http;

/// <summary>How tokens travel between the API and the browser. Bound from <c>FuncSessions:Http</c>.</summary>
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
}

/// <summary>Where the access and refresh tokens travel.</summary>
public enum TokenTransport
{
    Cookie,
    Bearer,
}
