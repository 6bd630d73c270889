using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>What a signed-in user does with their sessions: list them, end one or all, change the current one's data.</summary>
public sealed class SessionManagementEndpoints(
    RequestGuards guards,
    JsonRequestReader reader,
    TokenDelivery tokens,
    ISessionStore sessions,
    SessionRevocation revocation,
    SessionDataUpdate dataUpdate,
    StepUp stepUp,
    IOptions<SessionOptions> sessionOptions,
    TimeProvider time)
{
    public Task<IResult> ListSessionsAsync(HttpContext context) => guards.AuthenticatedAsync(context, async (current, ct) =>
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

    public Task<IResult> RevokeSessionAsync(HttpContext context, string? id) => guards.AuthenticatedAsync(context, async (current, ct) =>
    {
        if (id != current.SessionId && !await stepUp.SatisfiedAsync(current, ct))
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

    public Task<IResult> LogoutAllAsync(HttpContext context) => guards.AuthenticatedAsync(context, async (current, ct) =>
    {
        var (_, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.RefreshRequest, new RefreshRequest(null));
        if (problem is not null)
        {
            return problem;
        }

        if (!await stepUp.SatisfiedAsync(current, ct))
        {
            return Problems.ReauthenticationRequired();
        }

        await revocation.RevokeAllAsync(current.UserId, keepSessionId: null, ct);
        tokens.SignOut(context.Response);
        return TypedResults.NoContent();
    });

    /// <summary>
    /// Changes the caller's own session data with a JSON Merge Patch (RFC 7396) and hands out an access token that
    /// carries it. <c>X-Revalidate-Session: true</c> tells the client (and through it, other tabs) to re-read the session.
    /// </summary>
    public Task<IResult> UpdateSessionDataAsync(HttpContext context) => guards.AuthenticatedAsync(context, async (current, ct) =>
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
                ResponseHeaders.SetExposed(context.Response.Headers, ResponseHeaders.RevalidateSession, "true");
                return RequestGuards.Json(tokens.DeliverAccessToken(context.Response, result.Session!, result.AccessToken!));
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
}
