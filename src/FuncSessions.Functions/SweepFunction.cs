using FuncSessions.Sessions;
using FuncSessions.Storage;
using Microsoft.Azure.Functions.Worker;

namespace FuncSessions.Functions;

/// <summary>
/// Deletes expired sessions on the schedule in the <c>FuncSessionsSweepSchedule</c> app setting (six-field NCRONTAB,
/// UTC). The host runs a timer on one instance at a time; a run cut short resumes at the next occurrence.
/// </summary>
public sealed class SweepFunction(ExpiredSessionSweep sweep)
{
    [Function("SweepExpiredSessions")]
    public Task Run([TimerTrigger("%" + SweepOptions.ScheduleSettingName + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweep.RunAsync(cancellationToken);
}
