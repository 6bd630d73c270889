using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace FuncSessions.Functions.Tests.Infrastructure;

/// <summary>
/// Runs a Functions app's own <c>Program</c> (its assembly's entry point) up to the host it builds, and takes that host
/// instead of letting <c>Run()</c> start it: a started worker would dial the Functions host over gRPC, which a test has
/// no use for. The host is caught the way ASP.NET Core's <c>WebApplicationFactory</c> does it, through the "HostBuilt"
/// event that <see cref="HostApplicationBuilder"/> writes to the "Microsoft.Extensions.Hosting" diagnostic listener.
/// </summary>
public static class ProgramHost
{
    public static async Task<IHost> BuildAsync(Assembly app, string[] args)
    {
        var built = new TaskCompletionSource<IHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        var main = new Thread(() =>
        {
            try
            {
                app.EntryPoint!.Invoke(null, [args]);
                built.TrySetException(new InvalidOperationException($"{app.GetName().Name}'s Program returned without building a host."));
            }
            catch (TargetInvocationException e) when (e.InnerException is HostCaught)
            {
            }
            catch (TargetInvocationException e)
            {
                built.TrySetException(e.InnerException ?? e);
            }
        })
        { IsBackground = true, Name = app.GetName().Name + " Program" };

        // Note: the listener is process-wide and other tests build hosts in parallel; only the Program's own thread counts.
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e =>
                {
                    if (e.Key == "HostBuilt" && Thread.CurrentThread == main && e.Value is IHost host)
                    {
                        built.TrySetResult(host);
                        throw new HostCaught();
                    }
                }));
            }
        }));

        main.Start();
        return await built.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private sealed class HostCaught : Exception;

    private sealed class Observer<T>(Action<T> onNext) : IObserver<T>
    {
        public void OnNext(T value) => onNext(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}
