using FuncSessions.Tokens;

namespace FuncSessions.Sessions;

/// <summary>A session together with the tokens just handed to its client.</summary>
public sealed record IssuedSession(Session Session, AccessToken AccessToken, RefreshToken RefreshToken);
