using Azure;
using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Throttling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// What every API handler runs inside: security headers, the origin check, storage-fault mapping, and on top of that
/// either the client-address throttle (open endpoints) or the access-token check (the caller's own session).
/// </summary>
public sealed class RequestGuards(
    TokenDelivery tokens,
    SessionValidator validator,
    ClientAddress clientAddress,
    ClientThrottle clientThrottle,
    OriginPolicy originPolicy,
    LogHash logHash,
    IOptions<SessionOptions> sessionOptions,
    TimeProvider time,
    ILogger<RequestGuards> logger)
{
    /// <summary>For the caller's own session: 401 <c>invalid_token</c> unless the access token names a live session.</summary>
    // Note: written out rather than as a lambda inside GuardAsync: validate runs on every page load, and the closure,
    // its delegate and its task were three allocations per request.
    public async Task<IResult> AuthenticatedAsync(HttpContext context, Func<Session, CancellationToken, Task<IResult>> handler)
    {
        if (Refusal(context) is { } refused)
        {
            return refused;
        }

        try
        {
            var accessToken = tokens.ReadAccessToken(context.Request);
            var presented = !accessToken.IsEmpty;
            if (await validator.ValidateAsync(accessToken, context.RequestAborted) is { } session)
            {
                return await handler(session, context.RequestAborted);
            }

            if (presented)
            {
                var client = Client(context);
                logger.TokenRejected(context.Request.Path.Value ?? "", client.IpAddress, client.UserAgent);
            }

            return Problems.InvalidToken();
        }
        catch (Exception e) when (IsAnswerable(context, e))
        {
            return Answer(context, e);
        }
    }

    /// <summary>Endpoints open to anyone (login, register, refresh): refused without any work while the client address is throttled.</summary>
    public Task<IResult> ThrottledAsync(HttpContext context, Func<ClientInfo, CancellationToken, Task<IResult>> handler) =>
        GuardAsync(context, ct =>
        {
            var client = Client(context);
            return clientThrottle.RetryAfter(client.IpAddress) is { } wait
                ? Task.FromResult(TooManyRequests(context, client, wait))
                : handler(client, ct);
        });

    /// <summary>429 <c>too_many_requests</c>: the client address has spent its budget (or, failing closed, could not take a slot).</summary>
    public IResult TooManyRequests(HttpContext context, ClientInfo client, TimeSpan retryAfter)
    {
        logger.ClientRequestRefused(client.IpAddress);
        SetRetryAfter(context, retryAfter);
        return Problems.TooManyRequests();
    }

    public async Task<IResult> GuardAsync(HttpContext context, Func<CancellationToken, Task<IResult>> handler)
    {
        if (Refusal(context) is { } refused)
        {
            return refused;
        }

        try
        {
            return await handler(context.RequestAborted);
        }
        catch (Exception e) when (IsAnswerable(context, e))
        {
            return Answer(context, e);
        }
    }

    /// <summary>Sets the headers every answer carries; a refusal when the request comes from an origin it may not.</summary>
    private IResult? Refusal(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        context.Response.Headers.CacheControl = "no-store";
        if (originPolicy.Allows(context.Request))
        {
            return null;
        }

        logger.OriginRejected(context.Request.Method, context.Request.Headers.Origin.ToString(),
            context.Request.Headers["Sec-Fetch-Site"].ToString(), clientAddress.Of(context));
        return Problems.OriginNotAllowed();
    }

    // Note: storage faults fail closed: a 503, never a "valid" answer and never a 500 with internals. A client that went
    // away (its cancellation, or the read of its body failing) has nobody left to answer, and letting the exception out
    // would make a failed invocation with a stack trace under Functions. Anything else is a bug and stays one.
    private static bool IsAnswerable(HttpContext context, Exception e) => e is ServerBusyException
        || (IsStorageFault(e) && !context.RequestAborted.IsCancellationRequested)
        || (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested);

    private IResult Answer(HttpContext context, Exception e)
    {
        if (e is ServerBusyException busy)
        {
            logger.ServerBusy(context.Request.Path.Value ?? "");
            SetRetryAfter(context, busy.RetryAfter);
            return Problems.ServerBusy();
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return ClientClosedRequest();
        }

        logger.StorageUnavailable(e);
        return Problems.StorageUnavailable();
    }

    /// <summary>What a handler "answers" a client that disconnected: 499 as nginx logs it, with nothing to send.</summary>
    private static IResult ClientClosedRequest() => Results.StatusCode(StatusCodes.Status499ClientClosedRequest);

    public ClientInfo Client(HttpContext context) =>
        ClientInfo.Create(context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, clientAddress.Of(context));

    /// <summary>Whether the session began with a password (login or password change) inside the re-authentication window.</summary>
    public bool RecentlyAuthenticated(Session current)
    {
        if (time.GetUtcNow() - current.CreatedAt <= sessionOptions.Value.ReauthenticationWindow)
        {
            return true;
        }

        logger.ReauthenticationRequired(logHash.Of(current.SessionId));
        return false;
    }

    public static IResult TooManyAttempts(HttpContext context, TimeSpan retryAfter)
    {
        SetRetryAfter(context, retryAfter);
        return Problems.TooManyAttempts();
    }

    public static JsonAnswer<SessionResponse> Json(SessionResponse response) => new(response, FuncSessionsJsonContext.Default.SessionResponse);

    // Note: whole seconds, rounded up, so a client that waits exactly this long is never refused for being early.
    private static void SetRetryAfter(HttpContext context, TimeSpan retryAfter) =>
        ResponseHeaders.SetExposed(context.Response.Headers, ResponseHeaders.RetryAfter,
            ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static bool IsStorageFault(Exception e) => e switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        HttpRequestException or TaskCanceledException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageFault),
        _ => false,
    };
}
