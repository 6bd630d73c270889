using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Storage;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FuncSessions.IntegrationTests.Telemetry;

/// <summary>
/// The self-host's OpenTelemetry pipeline, read through in-memory exporters: a flow of real requests produces the
/// FuncSessions metrics, and no exported span, metric tag or log record holds any secret or raw id that the
/// <see cref="SecretLedger"/> recorded (the log-leak check of case 40, extended to exported telemetry, without the
/// exemption for the request path that the plain logs have).
/// </summary>
public sealed class TelemetryTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly ConcurrentQueue<string> _logs = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Http:TokenTransport"] = "Bearer",
        // Note: how a deployment that adds its own exporter in code turns request tracing on.
        ["OTEL_TRACES_SAMPLER"] = "always_on",
        // Note: every level reaches the exporter, so the test sees whatever a verbose production setting would send.
        ["Logging:OpenTelemetry:LogLevel:Default"] = "Trace",
    };

    protected override Action<IServiceCollection> Services => services =>
    {
        services.Configure<OpenTelemetryLoggerOptions>(o => o.IncludeFormattedMessage = true);
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans));
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(_metrics));
        services.ConfigureOpenTelemetryLoggerProvider(l => l.AddProcessor(new LogText(_logs)));
    };

    [Fact]
    public void Log_scopes_are_not_exported_since_the_request_scope_names_the_raw_path()
    {
        Assert.False(Server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenTelemetryLoggerOptions>>().Value.IncludeScopes);
    }

    [Fact]
    public async Task A_flow_of_requests_produces_the_metrics_and_no_secret_reaches_exported_telemetry()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        var first = await LoginAsync(client, username);
        client.BearerToken = (string)first["accessToken"]!;
        for (var i = 0; i < 3; i++)
        {
            using var validate = await client.GetAsync("/api/auth/validate");
            Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        }

        client.BearerToken = null;
        using (var anonymous = await client.GetAsync("/api/auth/validate"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var spent = (string)first["refreshToken"]!;
        using (var rotated = await client.PostAsync("/api/auth/refresh", new { refreshToken = spent }))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        Server.Time.Advance(TimeSpan.FromSeconds(11));
        using (var reused = await client.PostAsync("/api/auth/refresh", new { refreshToken = spent }))
        {
            await reused.AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        }

        // Note: a raw session id in a request path, which request spans and ASP.NET Core's request logs would carry.
        var second = await LoginAsync(client, username);
        client.BearerToken = (string)second["accessToken"]!;
        using (var revoke = await client.DeleteAsync("/api/auth/sessions/" + (string)second["sessionId"]!))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        client.BearerToken = null;
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.PostAsync("/api/auth/login", new { username, password = "not the password at all " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var locked = await client.PostAsync("/api/auth/login", new { username, password = Password }))
        {
            await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        }

        // Note: one session left to expire, for the sweep.
        Server.Time.Advance(TimeSpan.FromMinutes(1));
        await LoginAsync(client, username);
        Server.Time.Advance(TimeSpan.FromDays(31));
        var swept = await Server.Services.GetRequiredService<ExpiredSessionSweep>().RunAsync(CancellationToken.None);
        Assert.True(swept.Deleted >= 1);

        Server.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Server.Services.GetRequiredService<MeterProvider>().ForceFlush();
        Server.Services.GetRequiredService<LoggerProvider>().ForceFlush();

        Assert.Equal(3, Sum("funcsessions.logins", "succeeded"));
        Assert.Equal(5, Sum("funcsessions.logins", "failed"));
        Assert.Equal(1, Sum("funcsessions.lockouts"));
        Assert.Equal(1, Sum("funcsessions.refreshes", "rotated"));
        Assert.Equal(1, Sum("funcsessions.refreshes", "reuse_detected"));
        Assert.Equal(1, Sum("funcsessions.refresh.reuse_detections"));
        Assert.Equal(swept.Deleted, Sum("funcsessions.sweep.deletions"));
        var latency = Last("funcsessions.validate.duration");
        Assert.Equal(3, Points(latency).Where(p => Outcome(p) == "valid").Sum(p => p.GetHistogramCount()));
        Assert.Equal(1, Points(latency).Where(p => Outcome(p) == "invalid").Sum(p => p.GetHistogramCount()));
        Assert.Equal("s", latency.Unit);

        Assert.Contains(_spans, s => s.GetTagItem("http.route") is "api/auth/sessions/{id}" or "/api/auth/sessions/{id}");
        Assert.NotEmpty(_logs);
        var leaks = Leaks();
        Assert.True(leaks.Count == 0, "Secrets in exported telemetry:\n" + string.Join("\n", leaks.Take(10)));
    }

    private List<string> Leaks()
    {
        var exported = _spans.Select(s => $"span {s.DisplayName}: " + string.Join(" ", s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                + string.Join(" ", s.Events.Select(e => e.Name + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}")))))
            .Concat(_metrics.SelectMany(m => Points(m).Select(p => $"metric {m.Name}: {string.Join(" ", Tags(p))}")))
            .Concat(_logs.Select(l => "log " + l))
            .ToList();
        return [.. from text in exported
            from secret in Server.Secrets.Secrets
            where text.Contains(secret.Key, StringComparison.Ordinal)
            select $"{secret.Value} in {text}"];
    }

    private long Sum(string name, string? outcome = null) =>
        _metrics.LastOrDefault(m => m.Name == name) is { } metric
            ? Points(metric).Where(p => outcome is null || Outcome(p) == outcome).Sum(p => p.GetSumLong())
            : 0;

    private MetricSnapshot Last(string name) => _metrics.Last(m => m.Name == name);

    private static List<MetricPoint> Points(MetricSnapshot metric) => [.. metric.MetricPoints];

    private static string? Outcome(MetricPoint point) => Tags(point).FirstOrDefault(t => t.Key == "outcome").Value as string;

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }

    /// <summary>Each exported log record as text: message, body, attributes, scopes, exception.</summary>
    private sealed class LogText(ConcurrentQueue<string> logs) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            var scopes = new List<string>();
            data.ForEachScope(
                (scope, list) =>
                {
                    foreach (var pair in scope)
                    {
                        list.Add($"{pair.Key}={pair.Value}");
                    }
                },
                scopes);
            logs.Enqueue($"{data.CategoryName} {data.EventId.Id} {data.FormattedMessage} {data.Body} " +
                string.Join(" ", data.Attributes?.Select(a => $"{a.Key}={a.Value}") ?? []) + " " + string.Join(" ", scopes) + " " + data.Exception);
        }
    }
}
