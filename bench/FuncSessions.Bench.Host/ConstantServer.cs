namespace FuncSessions.Bench;

/// <summary>
/// The reference: bare Kestrel with minimal-API routing, answering every GET / with an empty 200. Beside it, GET /answer
/// replays whatever answer the runner handed it (PUT /bench/answer): validate's own headers and body, with none of the work.
/// </summary>
public static class ConstantServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        await using var app = builder.Build();
        app.CountServedRequests();
        app.MapGet("/", () => TypedResults.Ok());
        var answer = ReplayedAnswer.Empty;
        app.MapPut("/bench/answer", async (HttpContext context) =>
        {
            answer = await context.Request.ReadFromJsonAsync<ReplayedAnswer>() ?? ReplayedAnswer.Empty;
            return Results.NoContent();
        });
        app.MapGet("/answer", (HttpContext context) => answer.WriteAsync(context.Response));
        await app.RunAsync();
        return 0;
    }
}
