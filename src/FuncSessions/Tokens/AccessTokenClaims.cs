namespace FuncSessions.Tokens;

/// <summary>What a verified access token says; nothing else is read from it.</summary>
public sealed record AccessTokenClaims(string UserId, string SessionId, DateTimeOffset ExpiresAt, DateTimeOffset NotBefore, DateTimeOffset IssuedAt);

/// <summary>A freshly minted access token.</summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt);
