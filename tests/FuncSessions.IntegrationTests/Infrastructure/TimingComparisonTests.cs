using Xunit.Abstractions;

namespace FuncSessions.IntegrationTests.Infrastructure;

public sealed class TimingComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ARunThatTellsTheCategoriesApart_EveryTime_Fails_WithEachRunsFigures()
    {
        var runs = 0;

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            TimingComparison.AssertIndistinguishableAsync(output, () => Task.FromResult((false, $"figures {++runs}"))));

        Assert.Equal(TimingComparison.Runs, runs);
        Assert.Contains("figures 1", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"figures {TimingComparison.Runs}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneIndistinguishableRun_Passes_AndEndsTheMeasuring()
    {
        var runs = 0;

        await TimingComparison.AssertIndistinguishableAsync(output, () => Task.FromResult((++runs == 2, "figures")));

        Assert.Equal(2, runs);
    }
}
