using Microsoft.AspNetCore.Authentication;

namespace FuncSessions.Validation;

/// <summary>Options of the <c>FuncSessions</c> authentication scheme; see <see cref="FuncSessionsVerifierOptions"/>.</summary>
public sealed class FuncSessionsBearerOptions : AuthenticationSchemeOptions
{
    public FuncSessionsVerifierOptions Verifier { get; } = new();

    /// <inheritdoc cref="FuncSessionsVerifierOptions.Authority"/>
    public Uri? Authority { get => Verifier.Authority; set => Verifier.Authority = value; }

    /// <inheritdoc cref="FuncSessionsVerifierOptions.Issuer"/>
    public string Issuer { get => Verifier.Issuer; set => Verifier.Issuer = value; }

    /// <inheritdoc cref="FuncSessionsVerifierOptions.Audience"/>
    public string Audience { get => Verifier.Audience; set => Verifier.Audience = value; }

    /// <inheritdoc cref="FuncSessionsVerifierOptions.StrictMode"/>
    public bool StrictMode { get => Verifier.StrictMode; set => Verifier.StrictMode = value; }

    /// <inheritdoc cref="FuncSessionsVerifierOptions.StrictModeCacheDuration"/>
    public TimeSpan StrictModeCacheDuration { get => Verifier.StrictModeCacheDuration; set => Verifier.StrictModeCacheDuration = value; }
}

public static class FuncSessionsBearerDefaults
{
    public const string AuthenticationScheme = "FuncSessions";

    /// <summary>The named <see cref="HttpClient"/> used for the JWKS and strict-mode calls; add handlers to it if needed.</summary>
    public const string HttpClientName = "FuncSessions.Validation";
}
