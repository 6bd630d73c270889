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
    public Task<IResult> AuthenticatedAsync(HttpContext context, Func<Session, CancellationToken, Task<IResult>> handler) =>
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

    // Note: storage faults fail closed: a 503, never a "valid" answer and never a 500 with internals.
    public async Task<IResult> GuardAsync(HttpContext context, Func<CancellationToken, Task<IResult>> handler)
    {
        SecurityHeaders.Apply(context.Response);
        context.Response.Headers.CacheControl = "no-store";
        // Note: the Functions host's CORS (and siteConfig.cors) never sends Access-Control-Expose-Headers, so without
        // this an allowlisted page could not read Retry-After or X-Revalidate-Session; the host leaves it in place.
        if (originPolicy.IsAllowlisted(context.Request))
        {
            context.Response.Headers.AccessControlExposeHeaders = ResponseHeaders.ExposedValue;
        }

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
        catch (ServerBusyException e)
        {
            logger.ServerBusy(context.Request.Path.Value ?? "");
            SetRetryAfter(context, e.RetryAfter);
            return Problems.ServerBusy();
        }
        catch (Exception e) when (IsStorageFault(e) && !context.RequestAborted.IsCancellationRequested)
        {
            logger.StorageUnavailable(e);
            return Problems.StorageUnavailable();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // Note: the client went away (its cancellation, or the read of its body failing): nobody is left to answer,
            // and letting the exception out would make a failed invocation with a stack trace under Functions.
            return ClientClosedRequest();
        }
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

    public static IResult Json(SessionResponse response) => TypedResults.Json(response, FuncSessionsJsonContext.Default.SessionResponse);

    // Note: whole seconds, rounded up, so a client that waits exactly this long is never refused for being early.
    private static void SetRetryAfter(HttpContext context, TimeSpan retryAfter) =>
        context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsStorageFault(Exception e) => e switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        HttpRequestException or TaskCanceledException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageFault),
        _ => false,
    };
}
