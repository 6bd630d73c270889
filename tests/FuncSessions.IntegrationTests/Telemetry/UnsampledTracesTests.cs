using System.Diagnostics;
using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using OpenTelemetry.Trace;

namespace FuncSessions.IntegrationTests.Telemetry;

/// <summary>
/// With the default exporter setting (<c>None</c>) and no <c>OTEL_TRACES_SAMPLER</c>, requests are not traced: an
/// exporter added in code receives no span, and validate pays nothing for spans nobody reads.
/// </summary>
public sealed class UnsampledTracesTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private readonly List<Activity> _spans = [];

    protected override Action<IServiceCollection> Services => services =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans));

    [Fact]
    public async Task With_no_exporter_configured_requests_record_no_span()
    {
        using var client = (await SignedInClientAsync()).Client;
        using var validate = await client.GetAsync("/api/auth/validate");

        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        Server.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Assert.Empty(_spans);
    }
}
