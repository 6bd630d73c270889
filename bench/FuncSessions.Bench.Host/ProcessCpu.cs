using System.Globalization;

namespace FuncSessions.Bench;

/// <summary>CPU time a process has used so far (utime + stime from /proc/&lt;pid&gt;/stat).</summary>
public static class ProcessCpu
{
    // Note: USER_HZ is 100 on every Linux ABI .NET runs on (getconf CLK_TCK).
    private const double MicrosecondsPerTick = 1_000_000.0 / 100;

    public static double Microseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Note: the command name (field 2) may contain spaces, so fields are counted after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * MicrosecondsPerTick;
    }

    /// <summary>This process's CPU per call of <paramref name="operation"/>, over <paramref name="count"/> calls after one warm-up call.</summary>
    public static double PerOperation(int count, Action operation)
    {
        operation();
        var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            operation();
        }

        return (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / count;
    }
}
