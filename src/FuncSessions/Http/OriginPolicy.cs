using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// CSRF defence for state-changing requests (ASVS 3.5.2 / 3.5.3), on top of the JSON-only bodies: a browser request
/// must come from the API's own origin or one in <c>FuncSessions:Http:AllowedOrigins</c>. Browsers send <c>Origin</c>
/// on every cross-origin POST and DELETE; a request with <c>Sec-Fetch-Site: cross-site</c> needs an allowlisted origin
/// too. Requests without either header (curl, server-to-server) carry no ambient browser credentials to abuse and pass.
/// </summary>
public sealed class OriginPolicy(IOptions<HttpOptions> options)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOriginList(), StringComparer.OrdinalIgnoreCase);

    public bool Allows(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        var crossSite = string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase);
        if (origin.Length == 0)
        {
            return !crossSite;
        }

        if (_allowed.Contains(origin))
        {
            return true;
        }

        return !crossSite && string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }
}
