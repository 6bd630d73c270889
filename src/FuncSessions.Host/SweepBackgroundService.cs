using FuncSessions.Sessions;
using FuncSessions.Storage;
using Microsoft.Extensions.Options;
using NCrontab;

namespace FuncSessions.Host;

/// <summary>Runs the sweep on the NCRONTAB schedule the Functions timer trigger uses (UTC).</summary>
public sealed partial class SweepBackgroundService(
    ExpiredSessionSweep sweep, IOptions<SweepOptions> options, TimeProvider time, ILogger<SweepBackgroundService> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxWaitStep = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(options.Value.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = new DateTimeOffset(schedule.GetNextOccurrence(time.GetUtcNow().UtcDateTime), TimeSpan.Zero);
            try
            {
                await WaitUntilAsync(next, stoppingToken);
                await sweep.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Note: a failed sweep is retried at the next occurrence; nothing is lost, rows just stay longer.
                SweepFailed(logger, e);
            }
        }
    }

    // Note: timers accept at most ~49 days, and a yearly schedule is valid, so long waits are taken in steps.
    private async Task WaitUntilAsync(DateTimeOffset due, CancellationToken stoppingToken)
    {
        for (var remaining = due - time.GetUtcNow(); remaining > TimeSpan.Zero; remaining = due - time.GetUtcNow())
        {
            await Task.Delay(remaining < MaxWaitStep ? remaining : MaxWaitStep, time, stoppingToken);
        }
    }

    [LoggerMessage(3002, LogLevel.Error, "Sweep failed; it runs again at the next scheduled time", EventName = "SweepFailed")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
