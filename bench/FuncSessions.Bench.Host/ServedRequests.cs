using System.Globalization;

namespace FuncSessions.Bench;

/// <summary>
/// Counts requests the server finished and those still in progress (bench endpoints excluded), so that the runner
/// closes its CPU window only once the server is idle (a login still hashing after wrk stopped counting is paid for
/// inside the window) and divides by what the server actually served. Used by every bench server alike.
/// </summary>
public static class ServedRequests
{
    public static void CountServedRequests(this WebApplication app)
    {
        long served = 0, inFlight = 0;
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/bench"))
            {
                await next(context);
                return;
            }

            Interlocked.Increment(ref inFlight);
            try
            {
                await next(context);
            }
            finally
            {
                Interlocked.Increment(ref served);
                Interlocked.Decrement(ref inFlight);
            }
        });
        app.MapGet("/bench/served", () => Interlocked.Read(ref served).ToString(CultureInfo.InvariantCulture));
        app.MapGet("/bench/in-flight", () => Interlocked.Read(ref inFlight).ToString(CultureInfo.InvariantCulture));
    }
}
