namespace FuncSessions.External;

/// <summary>Who the provider says signed in: a stable subject (never the address), and the address only if the provider verified it.</summary>
public sealed record ExternalIdentity(string Provider, string Subject, string? Email, bool EmailVerified, string? Name)
{
    /// <summary>The address when the provider vouches for it, else null.</summary>
    public string? VerifiedEmail => EmailVerified ? Email : null;
}
