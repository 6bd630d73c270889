namespace FuncSessions.Sessions;

/// <summary>What the session list shows about the device: informational only, never used for access decisions.</summary>
public sealed record ClientInfo(string? UserAgent, string? IpAddress)
{
    private const int MaxUserAgentLength = 256;

    public static ClientInfo Create(string? userAgent, string? ipAddress) =>
        new(userAgent is { Length: > MaxUserAgentLength } ? userAgent[..MaxUserAgentLength] : userAgent, ipAddress);
}
