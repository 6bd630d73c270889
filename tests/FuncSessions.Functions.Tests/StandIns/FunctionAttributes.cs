// Stand-ins for the Worker API the app uses. Public signatures copied from Azure/azure-functions-dotnet-worker at
// the release tags named on each type (the package versions in Directory.Packages.props). Bodies are minimal; only
// the shapes must match, so that the app's sources compile here exactly as they do against the real packages.
namespace Microsoft.Azure.Functions.Worker.Extensions.Abstractions
{
    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Abstractions 1.3.0 (tag abstractions-extension-1.3.0).</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public abstract class BindingAttribute : Attribute
    {
    }

    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Abstractions 1.3.0 (tag abstractions-extension-1.3.0).</summary>
    [AttributeUsage(AttributeTargets.Parameter)]
    public abstract class TriggerBindingAttribute : BindingAttribute
    {
    }
}

namespace Microsoft.Azure.Functions.Worker
{
    using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Abstractions 1.3.0 (tag abstractions-extension-1.3.0).</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public class FunctionAttribute(string name) : Attribute
    {
        public string Name { get; } = name;
    }

    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Http 3.3.0 (tag http-extension-3.3.0).</summary>
    public enum AuthorizationLevel
    {
        Anonymous = 0,
        User = 1,
        Function = 2,
        System = 3,
        Admin = 4,
    }

    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Http 3.3.0 (tag http-extension-3.3.0).</summary>
    public sealed class HttpTriggerAttribute : TriggerBindingAttribute
    {
        public HttpTriggerAttribute()
        {
            AuthLevel = AuthorizationLevel.Function;
        }

        public HttpTriggerAttribute(params string[] methods)
        {
            Methods = methods;
        }

        public HttpTriggerAttribute(AuthorizationLevel authLevel)
        {
            AuthLevel = authLevel;
        }

        public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods)
        {
            AuthLevel = authLevel;
            Methods = methods;
        }

        public string? Route { get; set; }

        public string[]? Methods { get; private set; }

        public AuthorizationLevel AuthLevel { get; private set; }
    }

    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Timer 4.3.1 (tag timer-4.3.1).</summary>
    public sealed class TimerTriggerAttribute : TriggerBindingAttribute
    {
        public TimerTriggerAttribute(string schedule)
        {
            Schedule = schedule;
            UseMonitor = true;
        }

        public string Schedule { get; private set; }

        public bool UseMonitor { get; set; }

        public bool RunOnStartup { get; set; }
    }

    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Timer 4.3.1 (tag timer-4.3.1).</summary>
    public class TimerInfo
    {
        public ScheduleStatus? ScheduleStatus { get; set; }

        public bool IsPastDue { get; set; }
    }

    /// <summary>Microsoft.Azure.Functions.Worker.Extensions.Timer 4.3.1 (tag timer-4.3.1).</summary>
    public class ScheduleStatus
    {
        public DateTime Last { get; set; }

        public DateTime Next { get; set; }

        public DateTime LastUpdated { get; set; }
    }
}
