using System.Text.Json;
using FuncSessions.Functions.Tests.Infrastructure;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Email;
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

    [Fact]
    public void The_mail_queue_function_listens_on_the_queue_setting_and_the_storage_connection_the_app_enqueues_on()
    {
        var function = Assert.Single(FunctionCatalog.All, f => f.Queue is not null);
        Assert.Equal(MailQueueFunction.Name, function.Name);
        Assert.Equal("%" + EmailOptions.QueueSettingName + "%", function.Queue!.QueueName);

        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        Assert.Equal(values.GetProperty("FuncSessions__Storage__Connection").GetString(), function.Queue.Connection);
        // Note: the host fails to index the function when the setting is missing, so the sample must name a valid queue.
        var queue = new MailQueueOptions { Name = values.GetProperty(EmailOptions.QueueSettingName).GetString()! };
        Assert.NotEmpty(queue.Name);
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(queue, new(queue), null, validateAllProperties: true), queue.Name);
    }

    [Fact]
    public void Host_json_retries_a_mail_message_as_often_as_the_self_host_then_poisons_it()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")));
        var queues = hostJson.RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.Equal(new EmailOptions().MaxDeliveryAttempts, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(MailQueueTriggerHandler.HostRetryDelay, TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        // Note: how late a mail can start when the queue was idle; the host polls faster while messages keep coming.
        Assert.InRange(TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }
}
