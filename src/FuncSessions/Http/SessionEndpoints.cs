using FuncSessions.Email;
using FuncSessions.Sessions;
using FuncSessions.Throttling;
using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Http;

/// <summary>A session's life: login starts one, validate checks it, refresh rotates it, logout ends it.</summary>
public sealed class SessionEndpoints(
    RequestGuards guards,
    JsonRequestReader reader,
    TokenDelivery tokens,
    UserAccounts users,
    SessionIssuer issuer,
    RefreshTokenRotation rotation,
    SessionRevocation revocation,
    AccessTokenValidator accessTokens,
    ClientThrottle clientThrottle,
    EmailPolicy emailPolicy,
    SecondFactorStep secondFactor,
    LogHash logHash,
    FuncSessionsMetrics metrics,
    TimeProvider time,
    ILogger<SessionEndpoints> logger)
{
    public Task<IResult> LoginAsync(HttpContext context) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.CredentialsRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (CredentialChecks.Check(body!) is { } invalid)
        {
            return invalid;
        }

        // Note: the address's slot is taken before the password is checked, so parallel guesses cannot overrun its limit.
        var slot = await clientThrottle.ReserveAsync(client.IpAddress, ct);
        if (slot.RetryAfter is { } wait)
        {
            return guards.TooManyRequests(context, client, wait);
        }

        // Note: a session id or cookie the client sends is ignored: every login starts a new session (no fixation).
        // Note: the username when both are sent; the address otherwise.
        var login = string.IsNullOrEmpty(body!.Username)
            ? await users.VerifyEmailCredentialsAsync(body.Email!, body.Password!, client, ct)
            : await users.VerifyCredentialsAsync(body.Username, body.Password!, client, ct);
        if (login.Outcome == LoginOutcome.Throttled)
        {
            metrics.Lockout();
        }
        else
        {
            metrics.Login(login.Outcome == LoginOutcome.Succeeded);
        }

        if (login.Outcome != LoginOutcome.Succeeded)
        {
            await slot.FailedAsync(ct);
            return login.Outcome == LoginOutcome.Throttled
                ? RequestGuards.TooManyAttempts(context, login.RetryAfter!.Value)
                : Problems.InvalidCredentials();
        }

        await slot.SucceededAsync(ct);
        // Note: only after the right password, so the distinct code tells nothing to someone without it (docs/security.md).
        if (emailPolicy.BlocksLogin(login.User!))
        {
            return Problems.EmailNotVerified();
        }

        // Note: with TOTP on, the right password earns only the code step (second_factor_required), never a session.
        if (await secondFactor.ChallengeAsync(context, login.User!, ct) is { } codeRequired)
        {
            return codeRequired;
        }

        // Note: null when the password changed while this login was checking the old one: that password no longer holds.
        if (await issuer.IssueAsync(login.User!, client, ct) is not { } issued)
        {
            return Problems.InvalidCredentials();
        }

        return RequestGuards.Json(tokens.Deliver(context.Response, issued));
    });

    public async Task<IResult> ValidateAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        tokens.RestorePresenceHint(context.Request, context.Response);
        // Note: one delegate for every request (validate runs on every page load), so nothing is captured per call.
        _describe ??= (session, _) => Task.FromResult<IResult>(RequestGuards.Json(tokens.Describe(session)));
        var answer = await guards.AuthenticatedAsync(context, _describe);
        metrics.Validated(time.GetElapsedTime(started), answer is JsonAnswer<SessionResponse>);
        return answer;
    }

    private Func<Session, CancellationToken, Task<IResult>>? _describe;

    public Task<IResult> RefreshAsync(HttpContext context) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.RefreshRequest, new RefreshRequest(null));
        if (problem is not null)
        {
            return problem;
        }

        // Note: no token at all is no guess but an anonymous page load: 401 with no strike and no storage call, so
        // visitors can never spend their address's budget and lock its real users out.
        var presented = tokens.ReadRefreshToken(context.Request, body);
        if (string.IsNullOrEmpty(presented))
        {
            tokens.ExpireCookies(context.Response);
            return Problems.InvalidRefreshToken();
        }

        var result = await rotation.RotateAsync(presented, client, ct);
        metrics.Refresh(result.Outcome switch
        {
            RefreshOutcome.Rotated => "rotated",
            RefreshOutcome.Expired => "expired",
            RefreshOutcome.ReuseDetected => "reuse_detected",
            _ => "invalid",
        });
        if (result.Outcome == RefreshOutcome.Rotated)
        {
            return RequestGuards.Json(tokens.Deliver(context.Response, result.Issued!));
        }

        logger.RefreshRejected(result.Outcome.ToString(), client.IpAddress, client.UserAgent);
        // Note: only an unknown token is a guess; an expired or reused one was a real token.
        if (result.Outcome == RefreshOutcome.Invalid)
        {
            await clientThrottle.StrikeAsync(client.IpAddress, ct);
        }

        tokens.ExpireCookies(context.Response);
        return result.Outcome switch
        {
            RefreshOutcome.Expired => Problems.SessionExpired(),
            RefreshOutcome.ReuseDetected => Problems.RefreshTokenReused(),
            _ => Problems.InvalidRefreshToken(),
        };
    });

    public Task<IResult> LogoutAsync(HttpContext context) => guards.GuardAsync(context, async ct =>
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

        var client = guards.Client(context);
        logger.LoggedOut(sessionId is null ? null : logHash.Of(sessionId), client.IpAddress, client.UserAgent);
        tokens.SignOut(context.Response);
        return TypedResults.NoContent();
    });
}
