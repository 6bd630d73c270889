using FuncSessions.Sessions;
using FuncSessions.Tests.Tokens;
using FuncSessions.Tests.Users;
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
            Store, Users, AccessTokens, ClaimsProviders, DataRules, Options.Create(SessionOptions), Time, LogHash, NullLogger<SessionIssuer>.Instance);
        DataUpdate = new SessionDataUpdate(
            Store, AccessTokens, DataRules, Options.Create(SessionOptions), Time, LogHash, NullLogger<SessionDataUpdate>.Instance);
        Rotation = new RefreshTokenRotation(Store, AccessTokens, Options.Create(SessionOptions), Time, LogHash, NullLogger<RefreshTokenRotation>.Instance);
        Validator = new SessionValidator(AccessTokenValidator, Store, Options.Create(SessionOptions), Time);
    }

    public FakeTimeProvider Time { get; } = new(TestKeys.Start);

    public InMemorySessionStore Store { get; } = new();

    /// <summary>The accounts sessions are issued for: <see cref="LoginAsync"/> stores the user first.</summary>
    public InMemoryUserStore Users { get; } = new();

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

    public static UserAccount NewUser(string username = "alice")
    {
        var userId = SecureIds.NewId();
        return new()
        {
            UserId = userId,
            Username = username,
            // Note: unique per account, so several users of one name can hold sessions in one harness.
            NormalizedUsername = username + "|" + userId,
            Key = UserKeys.ForUsername(username + "|" + userId),
            PasswordHash = "unused",
            CreatedAt = TestKeys.Start,
        };
    }

    public async Task<IssuedSession> LoginAsync(UserAccount? user = null)
    {
        user ??= NewUser();
        await Users.TryCreateAsync(user, CancellationToken.None);
        return (await Issuer.IssueAsync(user, new ClientInfo("test-agent", "192.0.2.1"), CancellationToken.None))!;
    }

    public Task<RefreshResult> RefreshAsync(string? token) =>
        Rotation.RotateAsync(token, new ClientInfo(null, null), CancellationToken.None);

    public Task<RefreshResult> RefreshAsync(RefreshToken token) => RefreshAsync(token.Value);

    public Task<Session?> FindAsync(Session session) => Store.FindAsync(session.UserId, session.SessionId, CancellationToken.None);

    public void Dispose() => AccessTokenValidator.Dispose();
}
