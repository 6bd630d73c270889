using Xunit.Abstractions;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// A timing comparison run up to three times. Load from other processes can push one run's medians apart by chance;
/// a real difference (a skipped hash, a skipped storage call) shows in every run, so only three failed runs fail.
/// </summary>
public static class TimingComparison
{
    public const int Runs = 3;

    /// <param name="measure">One run: whether the categories were indistinguishable, and its figures for the report.</param>
    public static async Task AssertIndistinguishableAsync(ITestOutputHelper output, Func<Task<(bool Indistinguishable, string Report)>> measure)
    {
        var reports = new List<string>();
        for (var run = 1; run <= Runs; run++)
        {
            var (indistinguishable, report) = await measure();
            output.WriteLine($"run {run}: {report}");
            if (indistinguishable)
            {
                return;
            }

            reports.Add(report);
        }

        Assert.Fail($"Told apart by time in all {Runs} runs:\n" + string.Join("\n", reports));
    }
}
