using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Azure.Functions.Worker.Builder;

/// <summary>Microsoft.Azure.Functions.Worker 2.52.0 (tag 2.52.0, src/DotNetWorker/Builder/FunctionsApplication.cs).</summary>
public class FunctionsApplication
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args) => new(args);
}

/// <summary>
/// Microsoft.Azure.Functions.Worker 2.52.0 (tag 2.52.0, src/DotNetWorker/Builder/FunctionsApplicationBuilder.cs): the
/// public members the app uses. Like the real builder it wraps a <see cref="HostApplicationBuilder"/> configured with the
/// host defaults (environment variables, command line), which is where the Functions host puts app settings.
/// </summary>
public class FunctionsApplicationBuilder : IHostApplicationBuilder, IFunctionsWorkerApplicationBuilder
{
    private readonly HostApplicationBuilder _hostApplicationBuilder;
    private readonly List<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>> _middleware = [];

    internal FunctionsApplicationBuilder(string[]? args)
    {
        _hostApplicationBuilder = Host.CreateApplicationBuilder(args);
    }

    public IDictionary<object, object> Properties => ((IHostApplicationBuilder)_hostApplicationBuilder).Properties;

    IConfigurationManager IHostApplicationBuilder.Configuration => Configuration;

    public ConfigurationManager Configuration => _hostApplicationBuilder.Configuration;

    public IHostEnvironment Environment => _hostApplicationBuilder.Environment;

    public ILoggingBuilder Logging => _hostApplicationBuilder.Logging;

    public IMetricsBuilder Metrics => _hostApplicationBuilder.Metrics;

    public IServiceCollection Services => _hostApplicationBuilder.Services;

    internal bool IsWebApplication { get; set; }

    public IHost Build()
    {
        var host = _hostApplicationBuilder.Build();
        StandInHosts.Built.Enqueue(new BuiltFunctionsApp(host, IsWebApplication, _middleware));
        return host;
    }

    public IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware)
    {
        _middleware.Add(middleware);
        return this;
    }

    public void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
        where TContainerBuilder : notnull =>
        _hostApplicationBuilder.ConfigureContainer(factory, configure);
}

/// <summary>Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore 2.1.1 (tag http-aspnetcore-extension-2.1.1).</summary>
public static class FunctionsApplicationBuilderAspNetCoreExtensions
{
    public static FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this FunctionsApplicationBuilder builder)
    {
        builder.IsWebApplication = true;
        return builder;
    }
}

/// <summary>A host the app's Program built: whether it asked for the ASP.NET Core integration, and its worker middleware.</summary>
public sealed record BuiltFunctionsApp(
    IHost Host, bool IsWebApplication, IReadOnlyList<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>> Middleware);

/// <summary>
/// Test seam, not part of the Worker API: the real worker hands its host to the Functions runtime; here the tests pick
/// up what <c>Program</c> built so they can invoke functions the way the runtime does.
/// </summary>
public static class StandInHosts
{
    public static ConcurrentQueue<BuiltFunctionsApp> Built { get; } = new();
}
