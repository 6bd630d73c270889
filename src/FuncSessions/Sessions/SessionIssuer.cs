using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Sessions;

/// <summary>Starts a brand-new session after the user authenticated (login, password change). Never reuses an id.</summary>
public sealed class SessionIssuer(
    ISessionStore store,
    IUserStore users,
    AccessTokenIssuer accessTokens,
    IEnumerable<ISessionClaimsProvider> claimsProviders,
    SessionDataRules dataRules,
    IOptions<SessionOptions> options,
    TimeProvider time,
    LogHash logHash,
    ILogger<SessionIssuer> logger)
{
    /// <summary>
    /// The new session, or null when the user's credential changed after <paramref name="user"/> was read: the caller
    /// authenticated against a password (or factor) that no longer holds, and no session is left behind.
    /// </summary>
    public Task<IssuedSession?> IssueAsync(UserAccount user, ClientInfo client, CancellationToken cancellationToken) =>
        IssueAsync(user, client, AuthenticationMethods.PasswordOnly, cancellationToken);

    /// <param name="amr">How the user just authenticated (<see cref="AuthenticationMethods"/>), carried by the session and its tokens.</param>
    public async Task<IssuedSession?> IssueAsync(
        UserAccount user, ClientInfo client, IReadOnlyList<string> amr, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var absolute = now + options.Value.AbsoluteLifetime;
        var idle = now + options.Value.IdleTimeout;
        var sessionId = SecureIds.NewId();
        var refreshToken = RefreshToken.Create(user.UserId, sessionId);
        var data = await InitialDataAsync(user, cancellationToken);

        var session = await store.CreateAsync(new Session
        {
            UserId = user.UserId,
            SessionId = sessionId,
            Username = user.Username,
            StoredUserKey = user.Key,
            Email = user.Email,
            EmailVerified = user.EmailVerified,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = idle < absolute ? idle : absolute,
            AbsoluteExpiresAt = absolute,
            RefreshTokenHash = refreshToken.Hash,
            UserAgent = client.UserAgent,
            IpAddress = client.IpAddress,
            Amr = amr,
            Data = data,
        }, cancellationToken);

        if (!await CredentialStillCurrentAsync(user, sessionId, cancellationToken))
        {
            return null;
        }

        logger.SessionCreated(logHash.Of(sessionId));
        return new IssuedSession(session, accessTokens.Issue(session), refreshToken);
    }

    // Note: a credential change bumps the user's CredentialVersion, then deletes every session it lists. A login that
    // read the row before the change can write its session after that listing; re-reading the row after our write then
    // sees the new version. Either the listing found this session or this read finds the change, so no interleaving
    // leaves a session issued under a superseded credential, and validate stays one read. A failed read withdraws the
    // session too (fail closed). Disabling an account bumps the version in the write that sets Disabled: the same race.
    private async Task<bool> CredentialStillCurrentAsync(UserAccount user, string sessionId, CancellationToken cancellationToken)
    {
        var current = false;
        try
        {
            current = await users.FindByKeyAsync(user.Key, cancellationToken) is { } now
                && now.UserId == user.UserId && now.CredentialVersion == user.CredentialVersion && !now.Disabled;
            return current;
        }
        finally
        {
            if (!current)
            {
                await store.DeleteAsync(user.UserId, sessionId, CancellationToken.None);
                logger.SessionWithdrawn(logHash.Of(sessionId));
            }
        }
    }

    private async Task<SessionData> InitialDataAsync(UserAccount user, CancellationToken cancellationToken)
    {
        var data = SessionData.Empty;
        foreach (var provider in claimsProviders)
        {
            if (await provider.GetSessionDataAsync(user, cancellationToken) is not { Count: > 0 } values)
            {
                continue;
            }

            if (SessionDataRules.CheckEntries(values, isPatch: false) is var (_, detail))
            {
                throw new InvalidOperationException($"{provider.GetType().Name} returned unacceptable session data: {detail}");
            }

            data = data.Merge(values);
        }

        if (dataRules.CheckSize(data) is var (_, sizeDetail))
        {
            throw new InvalidOperationException($"The session claims providers returned too much data: {sizeDetail}");
        }

        return data;
    }
}
