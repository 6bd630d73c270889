namespace FuncSessions.Passkeys;

/// <summary>WebAuthn relying party. Bound from <c>FuncSessions:Passkeys</c>; empty <see cref="RelyingPartyId"/> turns passkeys off.</summary>
public sealed class PasskeyOptions
{
    public const string SectionName = "FuncSessions:Passkeys";

    /// <summary>The RP id: the site's registrable domain or a host under it, no scheme or port (e.g. <c>example.com</c>).</summary>
    public string? RelyingPartyId { get; set; }

    /// <summary>Shown by the browser while creating a passkey.</summary>
    public string RelyingPartyName { get; set; } = "FuncSessions";

    /// <summary>
    /// The page origins allowed to run the ceremonies, comma-separated (<c>https://app.example.com</c>; <c>http://localhost:…</c>
    /// for development). Each must be the RP id or a host under it.
    /// </summary>
    public string Origins { get; set; } = "";

    public bool IsConfigured => !string.IsNullOrEmpty(RelyingPartyId);

    public IReadOnlyList<string> OriginList => [.. Origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Null when the settings are usable (or passkeys are off), else what is wrong, naming the setting.</summary>
    public string? Problem()
    {
        if (!IsConfigured)
        {
            return null;
        }

        if (Uri.CheckHostName(RelyingPartyId) != UriHostNameType.Dns || RelyingPartyId != RelyingPartyId!.ToLowerInvariant())
        {
            return $"{SectionName}:RelyingPartyId must be a lower-case host name without scheme or port, such as 'example.com'.";
        }

        if (OriginList.Count == 0)
        {
            return $"{SectionName}:Origins must list the page origins (comma-separated) that may use passkeys.";
        }

        foreach (var origin in OriginList)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.GetLeftPart(UriPartial.Authority) != origin
                || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
                || !(uri.Host == RelyingPartyId || uri.Host.EndsWith("." + RelyingPartyId, StringComparison.Ordinal)))
            {
                return $"{SectionName}:Origins entry '{origin}' must be an https origin (http only for localhost) on the RP id '{RelyingPartyId}' or a host under it.";
            }
        }

        return null;
    }
}
