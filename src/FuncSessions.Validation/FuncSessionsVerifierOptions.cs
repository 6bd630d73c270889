namespace FuncSessions.Validation;

/// <summary>How to verify FuncSessions access tokens. The defaults match a FuncSessions app's defaults.</summary>
public sealed class FuncSessionsVerifierOptions
{
    /// <summary>
    /// Base URL of the FuncSessions app (e.g. <c>https://auth.example.com</c>): keys come from
    /// <c>{Authority}/api/auth/jwks</c>, strict mode calls <c>{Authority}/api/auth/validate</c>. Required.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>The required <c>iss</c>: the app's <c>FuncSessions:Tokens:Issuer</c>. Default <c>funcsessions</c>.</summary>
    public string Issuer { get; set; } = "funcsessions";

    /// <summary>The required <c>aud</c>: the app's <c>FuncSessions:Tokens:Audience</c>. Default <c>funcsessions-api</c>.</summary>
    public string Audience { get; set; } = "funcsessions-api";

    /// <summary>
    /// Strict mode: after the offline checks, ask the app's <c>validate</c> whether the session is still live, so a
    /// logout or revocation is seen within <see cref="StrictModeCacheDuration"/> instead of at the access token's
    /// expiry (up to 10 minutes). Costs one HTTP call (and one storage read on the app) per session per cache period.
    /// Default off.
    /// </summary>
    public bool StrictMode { get; set; }

    /// <summary>
    /// How long a strict-mode answer is reused for the same session: a session revoked just after a check is still
    /// accepted for up to this long. Default 5 seconds; 0 asks on every request; at most 1 minute.
    /// </summary>
    public TimeSpan StrictModeCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long fetched keys are used before they are fetched again. A key removed from the app's configuration
    /// (retired) stops verifying after at most this long. Default 5 minutes, the JWKS response's own max-age.
    /// </summary>
    public TimeSpan KeySetCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Least time between two key-set fetches: a token with an unknown <c>kid</c> (a key just rotated in, or garbage)
    /// triggers at most one fetch per interval, shared by all concurrent requests, so forged kids cannot cause a fetch
    /// storm. Default 30 seconds.
    /// </summary>
    public TimeSpan KeySetMinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Null when usable, otherwise what to fix.</summary>
    public string? Check() =>
        Authority is not { IsAbsoluteUri: true } || Authority.Scheme is not ("https" or "http")
            ? "Authority must be the absolute http(s) base URL of the FuncSessions app, e.g. https://auth.example.com."
        : string.IsNullOrWhiteSpace(Issuer) ? "Issuer must be the FuncSessions app's FuncSessions:Tokens:Issuer."
        : string.IsNullOrWhiteSpace(Audience) ? "Audience must be the FuncSessions app's FuncSessions:Tokens:Audience."
        : StrictModeCacheDuration < TimeSpan.Zero || StrictModeCacheDuration > TimeSpan.FromMinutes(1)
            ? "StrictModeCacheDuration must be between 0 and 1 minute."
        : KeySetCacheDuration < TimeSpan.FromSeconds(1) || KeySetCacheDuration > TimeSpan.FromDays(1)
            ? "KeySetCacheDuration must be between 1 second and 1 day."
        : KeySetMinimumRefreshInterval < TimeSpan.FromSeconds(1) || KeySetMinimumRefreshInterval > KeySetCacheDuration
            ? "KeySetMinimumRefreshInterval must be at least 1 second and at most KeySetCacheDuration."
        : null;

    internal Uri Endpoint(string path) => new(new Uri(Authority!.AbsoluteUri.TrimEnd('/') + "/"), path);
}
