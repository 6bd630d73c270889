using Azure;
using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Throttling;
using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// The HTTP API: one method per route, each mapping a request onto the session and user services and back.
/// Hosts (the self-host, the Functions app) only route requests here.
/// </summary>
public sealed class AuthEndpoints(
    JsonRequestReader reader,
    TokenDelivery tokens,
    UserAccounts users,
    PasswordPolicy passwordPolicy,
    SessionIssuer issuer,
    SessionValidator validator,
    RefreshTokenRotation rotation,
    SessionDataUpdate dataUpdate,
    SessionRevocation revocation,
    AccessTokenValidator accessTokens,
    ISessionStore sessions,
    SigningKeyRing signingKeys,
    ClientAddress clientAddress,
    ClientThrottle clientThrottle,
    OriginPolicy originPolicy,
    LogHash logHash,
    IOptions<UserOptions> userOptions,
    IOptions<SessionOptions> sessionOptions,
    TimeProvider time,
    ILogger<AuthEndpoints> logger)
{
    /// <summary>On any response whose session data changed: the client should re-read the session (validate).</summary>
    public const string RevalidateSessionHeader = "X-Revalidate-Session";

    // Note: a cheap upper bound checked before any hashing; the configured policy applies on top.
    private const int PasswordLimit = 4096;

    // Note: 202 with no body whether or not the name was free, after the same password hash either way (ASVS 6.3.8):
    // registration does not tell who has an account. A taken name shows up as invalid_credentials at login.
    public Task<IResult> RegisterAsync(HttpContext context) => ThrottledAsync(context, async (client, ct) =>
    {
        if (!userOptions.Value.AllowRegistration)
        {
            return Problems.RegistrationDisabled();
        }

        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.CredentialsRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (CheckCredentials(body!) is { } invalid)
        {
            return invalid;
        }

        if (Usernames.Clean(body!.Username) is not { } username)
        {
            return Problems.InvalidUsername();
        }

        if (passwordPolicy.Check(body.Password!, username) is var (code, detail))
        {
            return Problems.WeakPassword(code, detail);
        }

        await clientThrottle.StrikeAsync(client.IpAddress, ct);
        await users.RegisterAsync(body.Username!, body.Password!, ct);
        return TypedResults.Accepted((string?)null);
    });

    public Task<IResult> LoginAsync(HttpContext context) => ThrottledAsync(context, async (client, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.CredentialsRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (CheckCredentials(body!) is { } invalid)
        {
            return invalid;
        }

        // Note: a session id or cookie the client sends is ignored: every login starts a new session (no fixation).
        var login = await users.VerifyCredentialsAsync(body!.Username!, body.Password!, client, ct);
        if (login.Outcome != LoginOutcome.Succeeded)
        {
            await clientThrottle.StrikeAsync(client.IpAddress, ct);
            return login.Outcome == LoginOutcome.Throttled
                ? TooManyAttempts(context, login.RetryAfter!.Value)
                : Problems.InvalidCredentials();
        }

        var issued = await issuer.IssueAsync(login.User!, client, ct);
        return Json(tokens.Deliver(context.Response, issued));
    });

    public Task<IResult> ValidateAsync(HttpContext context) => AuthenticatedAsync(context, (session, _) =>
        Task.FromResult<IResult>(Json(tokens.Describe(session))));

    public Task<IResult> RefreshAsync(HttpContext context) => ThrottledAsync(context, async (client, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.RefreshRequest, new RefreshRequest(null));
        if (problem is not null)
        {
            return problem;
        }

        var result = await rotation.RotateAsync(tokens.ReadRefreshToken(context.Request, body), client, ct);
        if (result.Outcome == RefreshOutcome.Rotated)
        {
            return Json(tokens.Deliver(context.Response, result.Issued!));
        }

        logger.RefreshRejected(result.Outcome.ToString(), client.IpAddress, client.UserAgent);
        await clientThrottle.StrikeAsync(client.IpAddress, ct);
        tokens.ExpireCookies(context.Response);
        return result.Outcome switch
        {
            RefreshOutcome.Expired => Problems.SessionExpired(),
            RefreshOutcome.ReuseDetected => Problems.RefreshTokenReused(),
            _ => Problems.InvalidRefreshToken(),
        };
    });

    public Task<IResult> LogoutAsync(HttpContext context) => GuardAsync(context, async ct =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.RefreshRequest, new RefreshRequest(null));
        if (problem is not null)
        {
            return problem;
        }

        // Note: the access token names the session without a storage read; once it has expired, the refresh token does.
        string? sessionId = null;
        if (await accessTokens.ValidateAsync(tokens.ReadAccessToken(context.Request)) is { } claims)
        {
            await revocation.RevokeAsync(claims.UserId, claims.SessionId, ct);
            sessionId = claims.SessionId;
        }
        else if (tokens.ReadRefreshToken(context.Request, body) is var refreshToken
            && await revocation.RevokeByRefreshTokenAsync(refreshToken, ct) && RefreshToken.TryParse(refreshToken, out var parsed))
        {
            sessionId = parsed.SessionId;
        }

        var client = Client(context);
        logger.LoggedOut(sessionId is null ? null : logHash.Of(sessionId), client.IpAddress, client.UserAgent);
        tokens.SignOut(context.Response);
        return TypedResults.NoContent();
    });

    public Task<IResult> ListSessionsAsync(HttpContext context) => AuthenticatedAsync(context, async (current, ct) =>
    {
        var now = time.GetUtcNow();
        var items = (await sessions.ListAsync(current.UserId, ct))
            .Where(s => s.IsLiveAt(now, sessionOptions.Value))
            .OrderByDescending(s => s.LastSeenAt)
            .Select(s => new SessionListItem(
                s.SessionId, s.CreatedAt, s.LastSeenAt, s.ExpiresAt(sessionOptions.Value), s.UserAgent, s.IpAddress, s.SessionId == current.SessionId))
            .ToList();
        return TypedResults.Json(new SessionListResponse(items), FuncSessionsJsonContext.Default.SessionListResponse);
    });

    public Task<IResult> RevokeSessionAsync(HttpContext context, string? id) => AuthenticatedAsync(context, async (current, ct) =>
    {
        if (id != current.SessionId && !RecentlyAuthenticated(current))
        {
            return Problems.ReauthenticationRequired();
        }

        // Note: the partition is the caller's own user id, so another user's session id simply is not found (no IDOR).
        if (!SecureIds.IsWellFormedId(id) || !await revocation.RevokeAsync(current.UserId, id!, ct))
        {
            return Problems.SessionNotFound();
        }

        if (id == current.SessionId)
        {
            tokens.ExpireCookies(context.Response);
        }

        return TypedResults.NoContent();
    });

    public Task<IResult> LogoutAllAsync(HttpContext context) => AuthenticatedAsync(context, async (current, ct) =>
    {
        var (_, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.RefreshRequest, new RefreshRequest(null));
        if (problem is not null)
        {
            return problem;
        }

        if (!RecentlyAuthenticated(current))
        {
            return Problems.ReauthenticationRequired();
        }

        await revocation.RevokeAllAsync(current.UserId, keepSessionId: null, ct);
        tokens.SignOut(context.Response);
        return TypedResults.NoContent();
    });

    public Task<IResult> ChangePasswordAsync(HttpContext context) => AuthenticatedAsync(context, async (current, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.ChangePasswordRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.CurrentPassword))
        {
            return Problems.MissingField("currentPassword");
        }

        if (string.IsNullOrEmpty(body.NewPassword))
        {
            return Problems.MissingField("newPassword");
        }

        if (passwordPolicy.Check(body.NewPassword, current.Username) is var (code, detail))
        {
            return Problems.WeakPassword(code, detail);
        }

        var (outcome, user, retryAfter) = await users.ChangePasswordAsync(current.Username, body.CurrentPassword, body.NewPassword, Client(context), ct);
        switch (outcome)
        {
            case PasswordChangeOutcome.WrongPassword:
                return Problems.InvalidCredentials();
            case PasswordChangeOutcome.Throttled:
                return TooManyAttempts(context, retryAfter!.Value);
            case PasswordChangeOutcome.Conflict:
                return Problems.PasswordChangeConflict();
        }

        // Note: a credential change ends every session, this one included (ASVS 7.4.3), and the caller continues in a
        // fresh session with a new id (ASVS 7.2.4).
        await revocation.RevokeAllAsync(user!.UserId, keepSessionId: null, ct);
        var issued = await issuer.IssueAsync(user, Client(context), ct);
        return Json(tokens.Deliver(context.Response, issued));
    });

    /// <summary>
    /// Changes the caller's own session data with a JSON Merge Patch (RFC 7396) and hands out an access token that
    /// carries it. <c>X-Revalidate-Session: true</c> tells the client (and through it, other tabs) to re-read the session.
    /// </summary>
    public Task<IResult> UpdateSessionDataAsync(HttpContext context) => AuthenticatedAsync(context, async (current, ct) =>
    {
        var (patch, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.DictionaryStringJsonElement);
        if (problem is not null)
        {
            return problem;
        }

        var result = await dataUpdate.UpdateAsync(current, patch!, ct);
        switch (result.Outcome)
        {
            case SessionDataUpdateOutcome.Updated:
                context.Response.Headers[RevalidateSessionHeader] = "true";
                return Json(tokens.DeliverAccessToken(context.Response, result.Session!, result.AccessToken!));
            case SessionDataUpdateOutcome.Invalid:
                return Problems.InvalidSessionData(result.Code!, result.Detail!);
            case SessionDataUpdateOutcome.NotWritable:
                return Problems.SessionDataNotWritable(result.Detail!);
            case SessionDataUpdateOutcome.SessionGone:
                tokens.ExpireCookies(context.Response);
                return Problems.InvalidToken();
            default:
                return Problems.SessionDataConflict();
        }
    });

    public Task<IResult> JwksAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Task.FromResult<IResult>(TypedResults.Json(JsonWebKeySet.From(signingKeys), FuncSessionsJsonContext.Default.JsonWebKeySet));
    }

    private static IResult Json(SessionResponse response) => TypedResults.Json(response, FuncSessionsJsonContext.Default.SessionResponse);

    private static IResult? CheckCredentials(CredentialsRequest body) =>
        string.IsNullOrEmpty(body.Username) ? Problems.MissingField("username")
        : string.IsNullOrEmpty(body.Password) ? Problems.MissingField("password")
        : body.Password.Length > PasswordLimit ? Problems.WeakPassword("password_too_long", "The password is too long.")
        : null;

    private ClientInfo Client(HttpContext context) =>
        ClientInfo.Create(context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, clientAddress.Of(context));

    /// <summary>Whether the session began with a password (login or password change) inside the re-authentication window.</summary>
    private bool RecentlyAuthenticated(Session current)
    {
        if (time.GetUtcNow() - current.CreatedAt <= sessionOptions.Value.ReauthenticationWindow)
        {
            return true;
        }

        logger.ReauthenticationRequired(logHash.Of(current.SessionId));
        return false;
    }

    private static IResult TooManyAttempts(HttpContext context, TimeSpan retryAfter)
    {
        SetRetryAfter(context, retryAfter);
        return Problems.TooManyAttempts();
    }

    // Note: whole seconds, rounded up, so a client that waits exactly this long is never refused for being early.
    private static void SetRetryAfter(HttpContext context, TimeSpan retryAfter) =>
        context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Task<IResult> AuthenticatedAsync(HttpContext context, Func<Session, CancellationToken, Task<IResult>> handler) =>
        GuardAsync(context, async ct =>
        {
            var accessToken = tokens.ReadAccessToken(context.Request);
            if (await validator.ValidateAsync(accessToken, ct) is { } session)
            {
                return await handler(session, ct);
            }

            if (accessToken is not null)
            {
                var client = Client(context);
                logger.TokenRejected(context.Request.Path.Value ?? "", client.IpAddress, client.UserAgent);
            }

            return Problems.InvalidToken();
        });

    /// <summary>Endpoints open to anyone (login, register, refresh): refused without any work while the client address is throttled.</summary>
    private Task<IResult> ThrottledAsync(HttpContext context, Func<ClientInfo, CancellationToken, Task<IResult>> handler) =>
        GuardAsync(context, ct =>
        {
            var client = Client(context);
            if (clientThrottle.RetryAfter(client.IpAddress) is { } wait)
            {
                logger.ClientRequestRefused(client.IpAddress);
                SetRetryAfter(context, wait);
                return Task.FromResult(Problems.TooManyRequests());
            }

            return handler(client, ct);
        });

    // Note: storage faults fail closed: a 503, never a "valid" answer and never a 500 with internals.
    private async Task<IResult> GuardAsync(HttpContext context, Func<CancellationToken, Task<IResult>> handler)
    {
        SecurityHeaders.Apply(context.Response);
        context.Response.Headers.CacheControl = "no-store";
        if (!originPolicy.Allows(context.Request))
        {
            logger.OriginRejected(context.Request.Method, context.Request.Headers.Origin.ToString(),
                context.Request.Headers["Sec-Fetch-Site"].ToString(), clientAddress.Of(context));
            return Problems.OriginNotAllowed();
        }

        try
        {
            return await handler(context.RequestAborted);
        }
        catch (Exception e) when (IsStorageFault(e) && !context.RequestAborted.IsCancellationRequested)
        {
            logger.StorageUnavailable(e);
            return Problems.StorageUnavailable();
        }
    }

    private static bool IsStorageFault(Exception e) => e switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        HttpRequestException or TaskCanceledException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageFault),
        _ => false,
    };
}
