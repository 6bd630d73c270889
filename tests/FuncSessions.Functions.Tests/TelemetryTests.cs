using System.Text.Json;
using Azure.Monitor.OpenTelemetry.Exporter;
using FuncSessions.Functions.Tests.Infrastructure;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FuncSessions.Functions.Tests;

/// <summary>
/// The Functions app's own Program sends traces, metrics and logs to Application Insights through OpenTelemetry and the
/// Azure Monitor exporter when, and only when, <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set; the host follows
/// with <c>telemetryMode: OpenTelemetry</c>.
/// </summary>
public sealed class TelemetryTests
{
    // Note: a well-formed connection string to a closed loopback port: nothing leaves the machine.
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";

    [Fact]
    public async Task With_a_connection_string_the_app_builds_trace_metric_and_log_pipelines_to_Azure_Monitor_without_scopes()
    {
        using var host = await ProgramHost.BuildAsync(typeof(AuthFunctions).Assembly, [$"--APPLICATIONINSIGHTS_CONNECTION_STRING={ConnectionString}"]);

        Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.NotNull(host.Services.GetService<MeterProvider>());
        Assert.NotNull(host.Services.GetService<LoggerProvider>());
        Assert.Equal(ConnectionString, host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().CurrentValue.ConnectionString);
        Assert.False(host.Services.GetRequiredService<IOptions<OpenTelemetryLoggerOptions>>().Value.IncludeScopes);
    }

    [Fact]
    public async Task The_exporter_authenticates_as_the_identity_the_authentication_string_names()
    {
        using var host = await ProgramHost.BuildAsync(typeof(AuthFunctions).Assembly,
        [
            $"--APPLICATIONINSIGHTS_CONNECTION_STRING={ConnectionString}",
            "--APPLICATIONINSIGHTS_AUTHENTICATION_STRING=ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD",
        ]);

        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(
            host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().CurrentValue.Credential);
        Assert.Null(TelemetryCredential.From(null));
        Assert.Null(TelemetryCredential.From("Authorization=Key"));
    }

    [Fact]
    public async Task Without_a_connection_string_nothing_is_exported()
    {
        using var host = await ProgramHost.BuildAsync(typeof(AuthFunctions).Assembly, []);

        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void The_host_uses_OpenTelemetry_too()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")));
        Assert.Equal("OpenTelemetry", hostJson.RootElement.GetProperty("telemetryMode").GetString());
    }
}
