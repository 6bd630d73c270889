using FuncSessions.Sessions;
using FuncSessions.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// Where tokens travel. Cookie mode: HttpOnly, Secure, SameSite=Lax, Path=/ cookies with the <c>__Host-</c> prefix
/// (no Domain, so they stay on the API's host), and nothing secret in response bodies. Bearer mode: tokens in the
/// JSON body; the access token comes back in the Authorization header, the refresh token in the refresh body.
/// </summary>
public sealed class TokenDelivery(IOptions<HttpOptions> options, IOptions<SessionOptions> sessionOptions)
{
    public const string AccessTokenCookie = "__Host-fs-at";
    public const string RefreshTokenCookie = "__Host-fs-rt";

    /// <summary>
    /// Cookie mode: a non-secret, script-readable hint that a refresh cookie is held, with the same lifetime, so the JS
    /// client skips <c>refresh</c> for a visitor without a session. Only a hint: the server never decides anything on it.
    /// </summary>
    public const string PresenceCookie = "__Host-fs-present";

    private bool UseCookies => options.Value.TokenTransport == TokenTransport.Cookie;

    /// <summary>
    /// The Authorization bearer token if sent (either mode), else in cookie mode the access-token cookie; empty when
    /// there is none. The characters stay where the request holds them: validate reads a token on every page load.
    /// </summary>
    public ReadOnlySpan<char> ReadAccessToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization.AsSpan("Bearer ".Length).Trim();
        }

        return UseCookies ? RequestCookies.Find(request, AccessTokenCookie) : default;
    }

    public string? ReadRefreshToken(HttpRequest request, RefreshRequest? body) =>
        UseCookies ? RequestCookies.Get(request, RefreshTokenCookie) : body?.RefreshToken;

    /// <summary>Hands the tokens to the client and returns the body describing the session.</summary>
    public SessionResponse Deliver(HttpResponse response, IssuedSession issued)
    {
        var described = DeliverAccessToken(response, issued.Session, issued.AccessToken);
        if (UseCookies)
        {
            response.Cookies.Append(RefreshTokenCookie, issued.RefreshToken.Value, HostCookies.Options(issued.Session.AbsoluteExpiresAt));
            response.Cookies.Append(PresenceCookie, "1", HostCookies.Options(issued.Session.AbsoluteExpiresAt, httpOnly: false));
        }

        return described with { RefreshToken = UseCookies ? null : issued.RefreshToken.Value };
    }

    /// <summary>Hands over a new access token only (the refresh token stays as it is), with the body describing the session.</summary>
    public SessionResponse DeliverAccessToken(HttpResponse response, Session session, AccessToken accessToken)
    {
        if (UseCookies)
        {
            // Note: the cookies may outlive the session's idle deadline; expiry is enforced on the server, never by the browser.
            response.Cookies.Append(AccessTokenCookie, accessToken.Value, HostCookies.Options(session.AbsoluteExpiresAt));
        }

        return Describe(session) with
        {
            AccessTokenExpiresAt = accessToken.ExpiresAt,
            TokenType = UseCookies ? null : "Bearer",
            AccessToken = UseCookies ? null : accessToken.Value,
        };
    }

    public SessionResponse Describe(Session session) => new()
    {
        UserId = session.UserId,
        Username = session.Username,
        Email = session.Email,
        EmailVerified = session.Email is null ? null : session.EmailVerified,
        SessionId = session.SessionId,
        ExpiresAt = session.ExpiresAt(sessionOptions.Value),
        AbsoluteExpiresAt = session.AbsoluteExpiresAt,
        Data = session.Data.Values,
        Amr = session.Amr,
        AuthTime = session.CreatedAt,
    };

    /// <summary>Expires both token cookies and the presence hint (a no-op in bearer mode): the session they named is over.</summary>
    public void ExpireCookies(HttpResponse response)
    {
        if (UseCookies)
        {
            response.Cookies.Delete(AccessTokenCookie, HostCookies.Options(null));
            response.Cookies.Delete(RefreshTokenCookie, HostCookies.Options(null));
            response.Cookies.Delete(PresenceCookie, HostCookies.Options(null, httpOnly: false));
        }
    }

    /// <summary>
    /// Cookie mode: re-sends the presence hint, as a browser-session cookie until the next rotation sets its lifetime,
    /// when a refresh cookie arrives without it (a session from before the hint existed, or a hint the user cleared),
    /// so the JS client does not give up a session it cannot see.
    /// </summary>
    public void RestorePresenceHint(HttpRequest request, HttpResponse response)
    {
        // Note: the hint first: a browser with a session sends it, and that one look settles it on every page load.
        if (UseCookies && !RequestCookies.Has(request, PresenceCookie) && RequestCookies.Has(request, RefreshTokenCookie))
        {
            response.Cookies.Append(PresenceCookie, "1", HostCookies.Options(null, httpOnly: false));
        }
    }

    /// <summary>
    /// For an explicit sign-out: expires the cookies and asks the browser to drop everything it holds for this
    /// origin (OWASP Session Management cheat sheet), including what the frontend cached about the user.
    /// </summary>
    public void SignOut(HttpResponse response)
    {
        ExpireCookies(response);
        response.Headers["Clear-Site-Data"] = "\"cache\", \"cookies\", \"storage\"";
    }
}
