using FuncSessions.Sessions;
using FuncSessions.Tests.Tokens;
using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Sessions;

/// <summary>The session services wired to one in-memory store, one key ring and one fake clock.</summary>
internal sealed class SessionHarness : IDisposable
{
    public SessionHarness(SessionOptions? sessionOptions = null)
    {
        SessionOptions = sessionOptions ?? new SessionOptions();
        TokenOptions = TestKeys.Options(TestKeys.NewKey("k1"));
        Keys = TestKeys.Ring(TokenOptions);
        AccessTokens = new AccessTokenIssuer(Keys, Options.Create(TokenOptions), Options.Create(SessionOptions), Time);
        AccessTokenValidator = new AccessTokenValidator(Keys, Options.Create(TokenOptions), Time);
        LogHash = new LogHash(Keys);
        DataRules = new SessionDataRules(Options.Create(SessionOptions));
        Issuer = new SessionIssuer(
            Store, AccessTokens, ClaimsProviders, DataRules, Options.Create(SessionOptions), Time, LogHash, NullLogger<SessionIssuer>.Instance);
        DataUpdate = new SessionDataUpdate(
            Store, AccessTokens, DataRules, Options.Create(SessionOptions), Time, LogHash, NullLogger<SessionDataUpdate>.Instance);
        Rotation = new RefreshTokenRotation(Store, AccessTokens, Options.Create(SessionOptions), Time, LogHash, NullLogger<RefreshTokenRotation>.Instance);
        Validator = new SessionValidator(AccessTokenValidator, Store, Options.Create(SessionOptions), Time);
    }

    public FakeTimeProvider Time { get; } = new(TestKeys.Start);

    public InMemorySessionStore Store { get; } = new();

    public SessionOptions SessionOptions { get; }

    public TokenOptions TokenOptions { get; }

    public SigningKeyRing Keys { get; }

    public LogHash LogHash { get; }

    public AccessTokenIssuer AccessTokens { get; }

    public AccessTokenValidator AccessTokenValidator { get; }

    /// <summary>Providers the issuer asks for a new session's data; add to it before logging in.</summary>
    public List<ISessionClaimsProvider> ClaimsProviders { get; } = [];

    public SessionDataRules DataRules { get; }

    public SessionIssuer Issuer { get; }

    public SessionDataUpdate DataUpdate { get; }

    public RefreshTokenRotation Rotation { get; }

    public SessionValidator Validator { get; }

    public static UserAccount NewUser(string username = "alice") => new()
    {
        UserId = SecureIds.NewId(),
        Username = username,
        NormalizedUsername = username,
        PasswordHash = "unused",
        CreatedAt = TestKeys.Start,
    };

    public Task<IssuedSession> LoginAsync(UserAccount? user = null) =>
        Issuer.IssueAsync(user ?? NewUser(), new ClientInfo("test-agent", "192.0.2.1"), CancellationToken.None);

    public Task<RefreshResult> RefreshAsync(string? token) =>
        Rotation.RotateAsync(token, new ClientInfo(null, null), CancellationToken.None);

    public Task<RefreshResult> RefreshAsync(RefreshToken token) => RefreshAsync(token.Value);

    public Task<Session?> FindAsync(Session session) => Store.FindAsync(session.UserId, session.SessionId, CancellationToken.None);

    public void Dispose() => AccessTokenValidator.Dispose();
}
