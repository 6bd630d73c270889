using System.Diagnostics;
using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>Case 30: registering a taken name answers exactly like registering a free one (ASVS 6.3.8).</summary>
public sealed class RegistrationTests(AzuriteFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    private const int Trials = 100;

    // Note: every registration counts against the client address's registration budget; that limit is not under test here.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Throttling:ClientLimit"] = "1000000",
        ["FuncSessions:Throttling:RegistrationsPerClientWindow"] = "1000000",
    };

    [Fact]
    public async Task Case30_TakenAndFreeNames_GetTheSameResponse_InTheSameTime()
    {
        using var client = Server.CreateClient();
        var taken = await RegisterAsync(client);
        await TimingComparison.AssertIndistinguishableAsync(output, () => MeasureAsync(client, taken));
        // The first owner keeps the name and password.
        await LoginAsync(client, taken);
    }

    private async Task<(bool, string)> MeasureAsync(ApiClient client, string taken)
    {
        var free = new List<double>();
        var existing = new List<double>();
        var baseline = new List<double>();
        var shapes = new HashSet<string>();

        // Note: interleaved, so that load from other processes on the machine falls on every kind alike.
        for (var i = 0; i < Trials; i++)
        {
            foreach (var (username, password, times) in new[]
            {
                (NewUsername(), "a different passphrase " + i, free),
                (taken, "a different passphrase " + i, existing),
                (NewUsername(), "too short", baseline),
            })
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/auth/register", new { username, password });
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (times != baseline)
                {
                    shapes.Add(BruteForceTests.Describe(response) + " " + await response.Content.ReadAsStringAsync());
                }
            }
        }

        var (freeMedian, takenMedian) = (Median(free), Median(existing));
        // Note: one hash, measured in this run: a registration minus one refused before any work (password too short).
        var hash = Math.Max(freeMedian, takenMedian) - Median(baseline);
        var shape = Assert.Single(shapes);
        Assert.StartsWith("202 ", shape, StringComparison.Ordinal);
        Assert.EndsWith(" ", shape, StringComparison.Ordinal);
        // Both paths hash the password; a taken name skipping the hash would be a whole hash faster.
        return (Math.Abs(freeMedian - takenMedian) < hash / 2,
            $"median registration time over {Trials} trials each: free name {freeMedian:F1} ms, taken name {takenMedian:F1} ms; one hash {hash:F1} ms");
    }

    [Fact]
    public async Task Case30_BadInput_StillGetsTheReason()
    {
        using var client = Server.CreateClient();

        using var badName = await client.PostAsync("/api/auth/register", new { username = "has space", password = Password });
        using var shortPassword = await client.PostAsync("/api/auth/register", new { username = NewUsername(), password = "too short" });

        await badName.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_username");
        await shortPassword.AssertProblemAsync(HttpStatusCode.BadRequest, "password_too_short");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
