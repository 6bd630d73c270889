namespace FuncSessions.Bench;

/// <summary>The reference: bare Kestrel with minimal-API routing, answering every GET / with an empty 200.</summary>
public static class ConstantServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        await using var app = builder.Build();
        app.CountServedRequests();
        app.MapGet("/", () => TypedResults.Ok());
        await app.RunAsync();
        return 0;
    }
}
