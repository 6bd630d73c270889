using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FuncSessions.External;

/// <summary>
/// Where a sign-in may send the browser back: absolute http(s) URLs on an origin of
/// <c>FuncSessions:External:ReturnOrigins</c>, without credentials or a fragment. Anything else is refused, so the
/// sign-in endpoints are no open redirect.
/// </summary>
public sealed class ReturnToPolicy(IOptions<ExternalSignInOptions> options)
{
    private const int MaxLength = 2048;

    private readonly HashSet<string> _origins = new(options.Value.ReturnOriginList().Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    /// <summary>The URL when it is allowed, else null.</summary>
    public string? Check(string? returnTo)
    {
        if (string.IsNullOrEmpty(returnTo) || returnTo.Length > MaxLength
            || !Uri.TryCreate(returnTo, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0
            || returnTo.Contains('#', StringComparison.Ordinal)
            || !_origins.Contains(uri.GetLeftPart(UriPartial.Authority)))
        {
            return null;
        }

        return uri.AbsoluteUri;
    }

    /// <summary>Where an error goes when the sign-in's own returnTo is unknown (its cookie is gone): the first origin's root.</summary>
    public string Fallback => options.Value.ReturnOriginList()[0].TrimEnd('/') + "/";

    public static string With(string returnTo, string name, string value) => QueryHelpers.AddQueryString(returnTo, name, value);
}
