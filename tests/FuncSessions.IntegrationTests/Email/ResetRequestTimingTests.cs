using System.Diagnostics;
using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.IntegrationTests.Security;
using Xunit.Abstractions;

namespace FuncSessions.IntegrationTests.Email;

/// <summary>
/// A reset request for an unknown address cannot be told from one for an account's address, by status, body, headers
/// or time: both take a client strike and one enqueue, and the lookup happens later, in the mail worker. Measured as in
/// Case 23 (<see cref="LoginTimingTests"/>): interleaved trials, medians, and a bound relative to the noise measured in
/// the same run (the interquartile range of the unknown-address times), never an absolute time.
/// </summary>
public sealed class ResetRequestTimingTests(AzuriteFixture fixture, ITestOutputHelper output) : EmailTest(fixture)
{
    private const int Trials = 100;
    private const int Accounts = 10;

    // Note: the per-address limit is not under test here and would otherwise stop hundreds of requests from one address.
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["FuncSessions:Throttling:ClientLimit"] = "1000000",
        ["FuncSessions:Throttling:RegistrationsPerClientWindow"] = "1000",
    };

    [Fact]
    public async Task ResetRequest_ForAnUnknownAndAKnownAddress_LooksAndTakesTheSame()
    {
        using var client = Server.CreateClient();
        var known = new List<string>();
        for (var i = 0; i < Accounts; i++)
        {
            known.Add(await RegisterVerifiedAsync(client));
        }

        await TimingComparison.AssertIndistinguishableAsync(output, () => MeasureAsync(client, known));
    }

    private static async Task<(bool, string)> MeasureAsync(ApiClient client, List<string> known)
    {
        var categories = new Dictionary<string, Func<int, string>>
        {
            ["known address"] = i => known[i % known.Count],
            ["unknown address"] = _ => NewEmail(),
            // Note: a second unknown category, to report how far two categories that are the same apart lie.
            ["unknown address (control)"] = _ => NewEmail(),
        };
        var times = categories.Keys.ToDictionary(k => k, _ => new List<double>());
        var shapes = categories.Keys.ToDictionary(k => k, _ => new HashSet<string>());

        // Note: interleaved, so that load from other processes (and from the worker sending the known addresses' mail)
        // falls on every category alike.
        for (var i = 0; i < Trials; i++)
        {
            foreach (var (name, email) in categories)
            {
                var body = new { email = email(i) };
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/auth/password/reset/request", body);
                times[name].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                shapes[name].Add(BruteForceTests.Describe(response) + " " + await response.Content.ReadAsStringAsync());
            }
        }

        var medians = times.ToDictionary(t => t.Key, t => Median(t.Value));
        var unknown = times["unknown address"].Order().ToList();
        var noise = unknown[3 * unknown.Count / 4] - unknown[unknown.Count / 4];
        var difference = Math.Abs(medians["known address"] - medians["unknown address"]);
        var report = string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F2} ms"))
            + $"; known - unknown {difference:F2} ms, control {Math.Abs(medians["unknown address"] - medians["unknown address (control)"]):F2} ms; interquartile range {noise:F2} ms";
        Assert.Equal(shapes["unknown address"], shapes["known address"]);
        Assert.StartsWith("202 ", Assert.Single(shapes["known address"]), StringComparison.Ordinal);
        return (difference < noise / 2, $"median reset-request time over {Trials} trials each: {report}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
