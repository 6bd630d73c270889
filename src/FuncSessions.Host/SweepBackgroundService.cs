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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(options.Value.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
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

    [LoggerMessage(3002, LogLevel.Error, "Sweep failed; it runs again at the next scheduled time", EventName = "SweepFailed")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
