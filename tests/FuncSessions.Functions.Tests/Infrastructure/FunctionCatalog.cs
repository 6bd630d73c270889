using System.Reflection;
using System.Text.Json;
using FuncSessions.Functions;

namespace FuncSessions.Functions.Tests.Infrastructure;

/// <summary>An HTTP trigger as functions.metadata declares it to the Functions host; no methods means every method.</summary>
public sealed record HttpTrigger(string AuthLevel, IReadOnlyList<string>? Methods, string Route);

/// <summary>A timer trigger as functions.metadata declares it to the Functions host.</summary>
public sealed record TimerTrigger(string Schedule, bool RunOnStartup);

/// <summary>A queue trigger as functions.metadata declares it: the queue name (or a %setting% reference) and the connection setting.</summary>
public sealed record QueueTrigger(string QueueName, string? Connection);

/// <summary>A function the host indexes: its name, the method the worker invokes, and its trigger.</summary>
public sealed record IndexedFunction(string Name, MethodInfo Method, HttpTrigger? Http, TimerTrigger? Timer, QueueTrigger? Queue = null);

/// <summary>
/// The functions the Functions host would index: read from the functions.metadata that the Worker SDK's generator
/// wrote into the app's build output (the test project copies it, see its .csproj), not from the attributes.
/// </summary>
public static class FunctionCatalog
{
    public static string MetadataPath { get; } = Path.Combine(AppContext.BaseDirectory, "FuncSessions.Functions.functions.metadata");

    public static IReadOnlyList<IndexedFunction> All { get; } = Read();

    public static IReadOnlyList<IndexedFunction> Http => All.Where(f => f.Http is not null).ToList();

    /// <summary>The HTTP functions of the route table: all but the catch-all <see cref="FallbackFunction"/>.</summary>
    public static IReadOnlyList<IndexedFunction> Routes => Http.Where(f => f.Name != FallbackFunction.Name).ToList();

    public static IndexedFunction Named(string name) => All.Single(f => f.Name == name);

    private static List<IndexedFunction> Read()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(MetadataPath));
        return metadata.RootElement.EnumerateArray().Select(function =>
        {
            Assert.Equal(typeof(AuthFunctions).Assembly.GetName().Name + ".dll", function.GetProperty("scriptFile").GetString());
            var entryPoint = function.GetProperty("entryPoint").GetString()!;
            var split = entryPoint.LastIndexOf('.');
            var method = typeof(AuthFunctions).Assembly.GetType(entryPoint[..split], throwOnError: true)!
                .GetMethod(entryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance)!;

            var trigger = function.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            var type = trigger.GetProperty("type").GetString();
            return new IndexedFunction(
                function.GetProperty("name").GetString()!,
                method,
                type == "httpTrigger"
                    ? new HttpTrigger(
                        trigger.GetProperty("authLevel").GetString()!,
                        trigger.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
                            ? methods.EnumerateArray().Select(m => m.GetString()!).ToList()
                            : null,
                        trigger.GetProperty("route").GetString()!)
                    : null,
                type == "timerTrigger"
                    ? new TimerTrigger(
                        trigger.GetProperty("schedule").GetString()!,
                        trigger.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean())
                    : null,
                type == "queueTrigger"
                    ? new QueueTrigger(
                        trigger.GetProperty("queueName").GetString()!,
                        trigger.TryGetProperty("connection", out var connection) ? connection.GetString() : null)
                    : null);
        }).ToList();
    }
}
