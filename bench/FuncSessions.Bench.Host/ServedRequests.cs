using System.Globalization;

namespace FuncSessions.Bench;

/// <summary>
/// Counts responses the server completed (bench endpoints excluded), so CPU per request divides by what the server
/// actually served, including requests still in flight when wrk stopped counting. Used by every bench server alike.
/// </summary>
public static class ServedRequests
{
    public static void CountServedRequests(this WebApplication app)
    {
        long served = 0;
        app.Use(async (context, next) =>
        {
            await next(context);
            if (!context.Request.Path.StartsWithSegments("/bench"))
            {
                Interlocked.Increment(ref served);
            }
        });
        app.MapGet("/bench/served", () => Interlocked.Read(ref served).ToString(CultureInfo.InvariantCulture));
    }
}
