using Azure;
using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Storage;
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
    IOptions<UserOptions> userOptions,
    IOptions<SessionOptions> sessionOptions,
    TimeProvider time,
    ILogger<AuthEndpoints> logger)
{
    /// <summary>On any response whose session data changed: the client should re-read the session (validate).</summary>
    public const string RevalidateSessionHeader = "X-Revalidate-Session";

    // Note: a cheap upper bound checked before any hashing; the configured policy applies on top.
    private const int PasswordLimit = 4096;

    public Task<IResult> RegisterAsync(HttpContext context) => GuardAsync(context, async ct =>
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

        if (passwordPolicy.Check(body!.Password!) is var (code, detail))
        {
            return Problems.WeakPassword(code, detail);
        }

        var (outcome, user) = await users.RegisterAsync(body.Username!, body.Password!, ct);
        return outcome switch
        {
            RegistrationOutcome.Created => TypedResults.Json(
                new UserResponse(user!.UserId, user.Username), FuncSessionsJsonContext.Default.UserResponse, statusCode: StatusCodes.Status201Created),
            RegistrationOutcome.UsernameTaken => Problems.UsernameTaken(),
            _ => Problems.InvalidUsername(),
        };
    });

    public Task<IResult> LoginAsync(HttpContext context) => GuardAsync(context, async ct =>
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
        var user = await users.VerifyCredentialsAsync(body!.Username!, body.Password!, ct);
        if (user is null)
        {
            return Problems.InvalidCredentials();
        }

        var issued = await issuer.IssueAsync(user, Client(context), ct);
        return Json(tokens.Deliver(context.Response, issued));
    });

    public Task<IResult> ValidateAsync(HttpContext context) => GuardAsync(context, async ct =>
        await validator.ValidateAsync(tokens.ReadAccessToken(context.Request), ct) is { } session
            ? Json(tokens.Describe(session))
            : Problems.InvalidToken());

    public Task<IResult> RefreshAsync(HttpContext context) => GuardAsync(context, async ct =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.RefreshRequest, new RefreshRequest(null));
        if (problem is not null)
        {
            return problem;
        }

        var result = await rotation.RotateAsync(tokens.ReadRefreshToken(context.Request, body), Client(context), ct);
        if (result.Outcome == RefreshOutcome.Rotated)
        {
            return Json(tokens.Deliver(context.Response, result.Issued!));
        }

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
        if (await accessTokens.ValidateAsync(tokens.ReadAccessToken(context.Request)) is { } claims)
        {
            await revocation.RevokeAsync(claims.UserId, claims.SessionId, ct);
        }
        else
        {
            await revocation.RevokeByRefreshTokenAsync(tokens.ReadRefreshToken(context.Request, body), ct);
        }

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

        if (passwordPolicy.Check(body.NewPassword) is var (code, detail))
        {
            return Problems.WeakPassword(code, detail);
        }

        var (outcome, user) = await users.ChangePasswordAsync(current.Username, body.CurrentPassword, body.NewPassword, ct);
        if (outcome != PasswordChangeOutcome.Changed)
        {
            return outcome == PasswordChangeOutcome.WrongPassword ? Problems.InvalidCredentials() : Problems.PasswordChangeConflict();
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

    private static ClientInfo Client(HttpContext context) =>
        ClientInfo.Create(context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, context.Connection.RemoteIpAddress?.ToString());

    private Task<IResult> AuthenticatedAsync(HttpContext context, Func<Session, CancellationToken, Task<IResult>> handler) =>
        GuardAsync(context, async ct =>
            await validator.ValidateAsync(tokens.ReadAccessToken(context.Request), ct) is { } session
                ? await handler(session, ct)
                : Problems.InvalidToken());

    // Note: storage faults fail closed: a 503, never a "valid" answer and never a 500 with internals.
    private async Task<IResult> GuardAsync(HttpContext context, Func<CancellationToken, Task<IResult>> handler)
    {
        SecurityHeaders.Apply(context.Response);
        context.Response.Headers.CacheControl = "no-store";
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
