// Stand-ins for the Worker middleware API that FuncSessions.Validation.Functions uses. Public signatures copied from
// Azure/azure-functions-dotnet-worker at the release tags named on each type.
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Azure.Functions.Worker.Middleware
{
    /// <summary>Microsoft.Azure.Functions.Worker.Core 2.52.0 (tag 2.52.0, src/DotNetWorker.Core/Pipeline/).</summary>
    public delegate Task FunctionExecutionDelegate(FunctionContext context);

    /// <summary>Microsoft.Azure.Functions.Worker.Core 2.52.0 (tag 2.52.0, src/DotNetWorker.Core/Pipeline/).</summary>
    public interface IFunctionsWorkerMiddleware
    {
        Task Invoke(FunctionContext context, FunctionExecutionDelegate next);
    }
}

namespace Microsoft.Azure.Functions.Worker
{
    /// <summary>Microsoft.Azure.Functions.Worker.Core 2.52.0 (tag 2.52.0, src/DotNetWorker.Core/Hosting/).</summary>
    public interface IFunctionsWorkerApplicationBuilder
    {
        IServiceCollection Services { get; }

        IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware);
    }

    /// <summary>
    /// Microsoft.Azure.Functions.Worker.Core 2.52.0 (tag 2.52.0, src/DotNetWorker.Core/Context/FunctionContext.cs). The
    /// members' own types are reduced to empty shells here; the app code touches only Items, InstanceServices and
    /// CancellationToken.
    /// </summary>
    public abstract class FunctionContext
    {
        public abstract string InvocationId { get; }

        public abstract string FunctionId { get; }

        public abstract TraceContext TraceContext { get; }

        public abstract BindingContext BindingContext { get; }

        public abstract RetryContext RetryContext { get; }

        public abstract IServiceProvider InstanceServices { get; set; }

        public abstract FunctionDefinition FunctionDefinition { get; }

        public abstract IDictionary<object, object> Items { get; set; }

        public abstract IInvocationFeatures Features { get; }

        public virtual CancellationToken CancellationToken { get; } = CancellationToken.None;
    }

    public abstract class TraceContext;

    public abstract class BindingContext;

    public abstract class RetryContext;

    public abstract class FunctionDefinition;

    public interface IInvocationFeatures;

    /// <summary>
    /// Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore 2.1.1 (tag http-aspnetcore-extension-2.1.1,
    /// src/FunctionContext/FunctionContextExtensions.cs): the ASP.NET Core integration keeps the invocation's
    /// HttpContext in Items under this key.
    /// </summary>
    public static class FunctionContextExtensions
    {
        internal const string HttpContextKey = "HttpRequestContext";

        public static HttpContext? GetHttpContext(this FunctionContext context) =>
            context.Items.TryGetValue(HttpContextKey, out var requestContext) && requestContext is HttpContext httpContext ? httpContext : null;
    }
}

namespace Microsoft.Extensions.Hosting
{
    using Microsoft.Azure.Functions.Worker;

    /// <summary>
    /// Microsoft.Azure.Functions.Worker.Core 2.52.0 (tag 2.52.0,
    /// src/DotNetWorker.Core/Hosting/WorkerMiddlewareWorkerApplicationBuilderExtensions.cs): same body as the real one.
    /// </summary>
    public static class MiddlewareWorkerApplicationBuilderExtensions
    {
        public static IFunctionsWorkerApplicationBuilder UseMiddleware<T>(this IFunctionsWorkerApplicationBuilder builder)
            where T : class, IFunctionsWorkerMiddleware
        {
            builder.Services.AddSingleton<T>();
            builder.Use(next => context => context.InstanceServices.GetRequiredService<T>().Invoke(context, next));
            return builder;
        }
    }
}
