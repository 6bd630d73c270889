using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>
/// The attributes of every cookie the API sets: what the <c>__Host-</c> prefix demands (Secure, Path=/, no Domain, so
/// it stays on the API's host), SameSite=Lax, and HttpOnly unless script must read it (the presence hint).
/// </summary>
internal static class HostCookies
{
    public static CookieOptions Options(DateTimeOffset? expires, bool httpOnly = true) => new()
    {
        HttpOnly = httpOnly,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
