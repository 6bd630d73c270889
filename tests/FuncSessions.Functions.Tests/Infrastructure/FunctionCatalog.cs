using System.Reflection;
using FuncSessions.Functions;
using Microsoft.Azure.Functions.Worker;

namespace FuncSessions.Functions.Tests.Infrastructure;

/// <summary>A function as the Worker SDK's generator would index it: a [Function] method and its trigger.</summary>
public sealed record IndexedFunction(string Name, MethodInfo Method, Attribute Trigger)
{
    public HttpTriggerAttribute? Http => Trigger as HttpTriggerAttribute;

    public TimerTriggerAttribute? Timer => Trigger as TimerTriggerAttribute;
}

public static class FunctionCatalog
{
    /// <summary>Every function in the app assembly, found the way the SDK finds them: public methods with [Function].</summary>
    public static IReadOnlyList<IndexedFunction> All { get; } =
        typeof(AuthFunctions).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(AuthFunctions).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.Function is not null)
            .Select(x => new IndexedFunction(
                x.Function!.Name,
                x.Method,
                x.Method.GetParameters().Select(p => p.GetCustomAttributes().FirstOrDefault(a => a is HttpTriggerAttribute or TimerTriggerAttribute))
                    .Single(a => a is not null)!))
            .ToList();

    public static IReadOnlyList<IndexedFunction> Http => All.Where(f => f.Http is not null).ToList();

    public static IndexedFunction Named(string name) => All.Single(f => f.Name == name);
}
