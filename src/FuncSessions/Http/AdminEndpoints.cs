using FuncSessions.Admin;
using FuncSessions.Sessions;
using FuncSessions.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Http;

/// <summary>
/// The admin API (<see cref="AdminRoutes"/>). Every handler takes the name of the key that authorised the call, and
/// every action is an audit event with it (<see cref="AdminLog"/>). Answers are problem JSON with stable codes, as
/// everywhere else.
/// </summary>
public sealed class AdminEndpoints(
    RequestGuards guards,
    JsonRequestReader reader,
    AdminKeyGate gate,
    UserAdministration admin,
    ClientAddress clientAddress,
    LogHash logHash,
    ILogger<AdminEndpoints> logger)
{
    /// <summary>The claim the Functions host puts on a request it authorised with a key: that key's name.</summary>
    public const string FunctionsKeyIdClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";

    /// <summary>
    /// On the Functions app the host has checked the key before the worker sees the request; this names that key for the
    /// audit event: the host's key id claim, where the worker is given it, else "function-key".
    /// </summary>
    public static string FunctionsHostKeyName(HttpContext context) =>
        context.User.FindFirst(FunctionsKeyIdClaim)?.Value is { Length: > 0 } name ? name : "function-key";

    /// <summary>The self-host's key check: 404 with no key configured, 401 without a key, 403 with a wrong one.</summary>
    public Task<IResult> SelfHostGateAsync(HttpContext context, Func<string, Task<IResult>> handler)
    {
        var (check, keyName) = gate.Check(context.Request);
        if (check == AdminKeyCheck.Valid)
        {
            return handler(keyName!);
        }

        return guards.GuardAsync(context, _ =>
        {
            if (check == AdminKeyCheck.NotConfigured)
            {
                return Task.FromResult(Problems.NotFound());
            }

            logger.AdminKeyRejected(check == AdminKeyCheck.Missing ? "no key" : "wrong key", context.Request.Method, context.Request.Path.Value ?? "",
                clientAddress.Of(context));
            return Task.FromResult(check == AdminKeyCheck.Missing ? AdminProblems.KeyRequired() : AdminProblems.KeyInvalid());
        });
    }

    /// <summary><c>{"id": …}</c>, <c>{"username": …}</c> or <c>{"email": …}</c>: exactly one.</summary>
    public Task<IResult> FindUserAsync(HttpContext context, string keyName) => guards.GuardAsync(context, async ct =>
    {
        var (request, problem) = await reader.ReadAsync(context, AdminJsonContext.Default.AdminFindRequest);
        if (problem is not null)
        {
            return problem;
        }

        var given = new (string Name, string? Value)[] { ("id", request!.Id), ("username", request.Username), ("email", request.Email) }
            .Where(k => !string.IsNullOrEmpty(k.Value)).ToList();
        if (given is not [var (by, value)])
        {
            return AdminProblems.OneLookup();
        }

        var user = by switch
        {
            "id" => await admin.FindByIdAsync(value!, ct),
            "username" => await admin.FindByUsernameAsync(value!, ct),
            _ => await admin.FindByEmailAsync(value!, ct),
        };
        logger.AdminUserLookedUp(keyName, by, user is null ? null : logHash.Of(user.UserId));
        if (user is null)
        {
            return AdminProblems.UserNotFound();
        }

        var live = await admin.LiveSessionCountAsync(user.UserId, ct);
        return TypedResults.Json(new AdminUserResponse(user.UserId, user.Username, user.Email, user.EmailVerified, user.CreatedAt,
            user.PasswordChangedAt, user.Disabled, user.DisabledAt, live), AdminJsonContext.Default.AdminUserResponse);
    });

    public Task<IResult> SetDisabledAsync(HttpContext context, string keyName, bool disabled) => ForUserAsync(context, async (userId, ct) =>
    {
        if (await admin.SetDisabledAsync(userId, disabled, ct) is not var (user, ended))
        {
            return AdminProblems.UserNotFound();
        }

        if (disabled)
        {
            logger.AdminUserDisabled(keyName, logHash.Of(user.UserId), ended);
        }
        else
        {
            logger.AdminUserEnabled(keyName, logHash.Of(user.UserId));
        }

        return Action(user.UserId, ended);
    });

    /// <summary>200 whether or not the account existed (deleting is idempotent); the audit event says which.</summary>
    public Task<IResult> DeleteUserAsync(HttpContext context, string keyName) => ForUserAsync(context, async (userId, ct) =>
    {
        var (existed, ended) = await admin.DeleteAsync(userId, ct);
        logger.AdminUserDeleted(keyName, logHash.Of(userId), existed, ended);
        return Action(userId, ended);
    });

    public Task<IResult> EndUserSessionsAsync(HttpContext context, string keyName) => ForUserAsync(context, async (userId, ct) =>
    {
        if (await admin.EndSessionsAsync(userId, ct) is not { } ended)
        {
            return AdminProblems.UserNotFound();
        }

        logger.AdminUserSessionsEnded(keyName, logHash.Of(userId), ended);
        return Action(userId, ended);
    });

    public Task<IResult> EndAllSessionsAsync(HttpContext context, string keyName) => guards.GuardAsync(context, async ct =>
    {
        var (_, problem) = await reader.ReadAsync(context, AdminJsonContext.Default.AdminEmptyRequest, new AdminEmptyRequest());
        if (problem is not null)
        {
            return problem;
        }

        var ended = await admin.EndAllSessionsAsync(ct);
        logger.AdminAllSessionsEnded(keyName, ended);
        return Action(null, ended);
    });

    private Task<IResult> ForUserAsync(HttpContext context, Func<string, CancellationToken, Task<IResult>> handler) => guards.GuardAsync(context, async ct =>
    {
        var (request, problem) = await reader.ReadAsync(context, AdminJsonContext.Default.AdminUserRequest);
        if (problem is not null)
        {
            return problem;
        }

        return string.IsNullOrEmpty(request!.UserId) ? Problems.MissingField("userId") : await handler(request.UserId, ct);
    });

    private static IResult Action(string? userId, int ended) =>
        TypedResults.Json(new AdminActionResponse(userId, ended), AdminJsonContext.Default.AdminActionResponse);
}

/// <summary>The admin API's own problem codes (the shared ones are in <see cref="Problems"/>).</summary>
public static class AdminProblems
{
    public static IResult KeyRequired() => Create(401, "admin_key_required", "An admin key is required.",
        $"Send it in the '{AdminKeyGate.HeaderName}' header.");

    public static IResult KeyInvalid() => Create(403, "admin_key_invalid", "The admin key is not valid.", null);

    public static IResult UserNotFound() => Create(404, "user_not_found", "No such user.", null);

    public static IResult OneLookup() => Create(400, "invalid_request", "Give exactly one of 'id', 'username' or 'email'.", null);

    private static IResult Create(int status, string code, string title, string? detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code });
}
