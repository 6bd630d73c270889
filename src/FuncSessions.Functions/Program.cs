using Azure.Monitor.OpenTelemetry.Exporter;
using FuncSessions;
using FuncSessions.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddFuncSessions(builder.Configuration);

// Note: Application Insights through OpenTelemetry and the Azure Monitor exporter (host.json "telemetryMode":
// "OpenTelemetry" does the same for the host): one pipeline with the FuncSessions meter, as the self-host has. Only
// when the connection string is set, so local runs and tests export nothing.
if (builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 })
{
    builder.Services.AddOpenTelemetry()
        .UseFunctionsWorkerDefaults()
        .UseAzureMonitorExporter(o => o.Credential = TelemetryCredential.From(builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]))
        .WithMetrics(m => m.AddMeter(FuncSessionsMetrics.MeterName));
    // Note: ASP.NET Core's request logs and its request scope (RequestPath) name the raw path, a session id in
    // DELETE sessions/{id}: neither is exported.
    builder.Services.Configure<OpenTelemetryLoggerOptions>(o => o.IncludeScopes = false);
    builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
}

builder.Build().Run();
