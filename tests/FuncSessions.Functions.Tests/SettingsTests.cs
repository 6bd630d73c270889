using System.Text.Json;
using FuncSessions.Functions.Tests.Infrastructure;
using FuncSessions.IntegrationTests.Infrastructure;
using NCrontab;

namespace FuncSessions.Functions.Tests;

/// <summary>The timer's schedule (as functions.metadata declares it) comes from an app setting that the sample settings define, in the host's format.</summary>
public sealed class SettingsTests
{
    private static readonly IndexedFunction Sweep = FunctionCatalog.All.Single(f => f.Timer is not null);

    [Fact]
    public void The_sweep_schedule_is_an_app_setting_reference_that_local_settings_sample_defines_as_six_field_ncrontab()
    {
        var schedule = Sweep.Timer!.Schedule;
        Assert.Equal("%FuncSessionsSweepSchedule%", schedule);
        var settingName = schedule.Trim('%');

        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        var value = sample.RootElement.GetProperty("Values").GetProperty(settingName).GetString()!;

        Assert.Equal("0 */15 * * * *", value);
        Assert.NotNull(CrontabSchedule.TryParse(value, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
    }

    [Fact]
    public void Local_settings_sample_caps_what_the_Functions_host_buffers_close_to_the_apps_own_body_limit()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        var hostLimit = long.Parse(values.GetProperty("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var appLimit = long.Parse(values.GetProperty("FuncSessions__Http__MaxRequestBodyBytes").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        // Note: at or above the app's limit, so bodies just over it still get the app's 413 problem; far below the
        // host's default of 100 MiB, which it would otherwise buffer before the app can refuse anything.
        Assert.InRange(hostLimit, appLimit, 1024 * 1024);
    }

    [Fact]
    public void The_sweep_does_not_run_on_every_start_or_scale_out()
    {
        Assert.False(Sweep.Timer!.RunOnStartup);
    }

    [Fact]
    public void Local_settings_sample_has_what_func_start_needs_for_an_isolated_app_on_azurite()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.False(sample.RootElement.GetProperty("IsEncrypted").GetBoolean());
        Assert.True(sample.RootElement.GetProperty("Host").TryGetProperty("CORS", out _));
    }
}
