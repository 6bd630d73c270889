using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Sessions;

/// <summary>When the expired-session sweep runs.</summary>
public sealed class SweepOptions
{
    /// <summary>
    /// Name of the flat app setting holding the schedule. The Functions timer trigger resolves it as
    /// <c>%FuncSessionsSweepSchedule%</c>, so the self-host reads the very same setting.
    /// </summary>
    public const string ScheduleSettingName = "FuncSessionsSweepSchedule";

    /// <summary>Six-field NCRONTAB expression (seconds first), UTC. Default every 15 minutes.</summary>
    [Required]
    public string Schedule { get; set; } = "0 */15 * * * *";
}
