using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>
/// Response headers on every API answer (ASVS 5.0 V3.4). The API only ever returns JSON, never a document to render,
/// so the strictest values cost nothing: HTTPS only for a year including subdomains (ignored by browsers over plain
/// http, so local development is unaffected), no MIME sniffing, nothing may load or frame it, no Referer.
/// </summary>
internal static class SecurityHeaders
{
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
