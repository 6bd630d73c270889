using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FuncSessions.Host;

/// <summary>
/// OpenTelemetry for the self-host: request spans, the <c>FuncSessions</c> meter with ASP.NET Core's own metrics, and
/// logs, exported as <c>FuncSessions:Telemetry:Exporter</c> says: <c>None</c> (default), <c>Console</c>, or <c>Otlp</c>
/// (endpoint and headers from the standard <c>OTEL_EXPORTER_OTLP_*</c> variables). The pipeline is built either way, so
/// other exporters can be added to it. With <c>None</c> and no <c>OTEL_TRACES_SAMPLER</c> setting, requests are not
/// traced at all: nothing would read the spans, and even an unsampled one cost validate its listener on every request.
/// Setting <c>OTEL_TRACES_SAMPLER</c> (e.g. <c>always_on</c>, for an exporter added in code) traces them.
/// </summary>
public static class SelfHostTelemetry
{
    public const string ExporterSetting = "FuncSessions:Telemetry:Exporter";

    private const string SamplerSetting = "OTEL_TRACES_SAMPLER";

    public static void AddFuncSessionsTelemetry(this WebApplicationBuilder builder)
    {
        var exporter = builder.Configuration[ExporterSetting] is { Length: > 0 } value ? value : "None";
        if (exporter is not ("None" or "Console" or "Otlp"))
        {
            throw new InvalidOperationException($"{ExporterSetting} must be None, Console or Otlp, not '{exporter}'.");
        }

        var tracesRequests = exporter != "None" || !string.IsNullOrEmpty(builder.Configuration[SamplerSetting]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("FuncSessions.Host"))
            .WithTracing(t =>
            {
                if (tracesRequests)
                {
                    t.AddAspNetCoreInstrumentation(o =>
                    {
                        // Note: url.path would carry a session id (DELETE /api/auth/sessions/{id}) or whatever a client put in a
                        // path; the route template says which endpoint it was, which is all a trace needs. Queries are dropped.
                        o.EnrichWithHttpResponse = (activity, response) =>
                        {
                            activity.SetTag("url.path", (response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)");
                            activity.SetTag("url.query", null);
                        };
                    });
                }
            })
            .WithMetrics(m => m.AddMeter(FuncSessionsMetrics.MeterName).AddAspNetCoreInstrumentation())
            // Note: no scopes: ASP.NET Core's request scope holds RequestPath, the raw path with any session id in it.
            .WithLogging(configureBuilder: null, configureOptions: o => o.IncludeScopes = false);
        // Note: ASP.NET Core's request logs name the raw path, so they stay out of exported telemetry at every level.
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore.Routing", LogLevel.Warning);

        switch (exporter)
        {
            case "Console":
                telemetry.WithTracing(t => t.AddConsoleExporter()).WithMetrics(m => m.AddConsoleExporter()).WithLogging(l => l.AddConsoleExporter());
                break;
            case "Otlp":
                telemetry.UseOtlpExporter();
                break;
        }
    }
}
