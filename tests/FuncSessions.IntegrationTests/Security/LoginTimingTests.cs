using System.Diagnostics;
using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>
/// Case 23: unknown user, wrong password and locked account (existing or not) cannot be told apart by status, body,
/// headers or time. Each costs one password hash (~130 ms); without the dummy hash an unknown user would answer that
/// much faster, so the bound below is generous for a shared machine and still far below what a missing hash shows.
/// </summary>
public sealed class LoginTimingTests(AzuriteFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    private const int Trials = 100;
    private const string WrongPassword = "not the right passphrase";

    // Note: the per-address limit is not under test here and would otherwise stop 400 failures from one address.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Throttling:ClientLimit"] = "1000000",
    };

    [Fact]
    public async Task Case23_UnknownUser_WrongPassword_AndLockedAccounts_LookAndTakeTheSame()
    {
        using var client = Server.CreateClient();
        // Four failures each stay below the progressive delay (from the fifth), so these accounts never lock.
        var accounts = new List<string>();
        for (var i = 0; i < Trials / 4; i++)
        {
            accounts.Add(await RegisterAsync(client));
        }

        var lockedAccount = await RegisterAsync(client);
        var lockedUnknown = NewUsername();
        for (var i = 0; i < 10; i++)
        {
            (await client.PostAsync("/api/auth/login", new { username = lockedAccount, password = WrongPassword })).Dispose();
            (await client.PostAsync("/api/auth/login", new { username = lockedUnknown, password = WrongPassword })).Dispose();
            Server.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var categories = new Dictionary<string, Func<int, object>>
        {
            ["unknown user"] = _ => new { username = NewUsername(), password = WrongPassword },
            ["wrong password"] = i => new { username = accounts[i % accounts.Count], password = WrongPassword },
            ["locked account"] = _ => new { username = lockedAccount, password = Password },
            ["locked unknown name"] = _ => new { username = lockedUnknown, password = Password },
        };
        var times = categories.Keys.ToDictionary(k => k, _ => new List<double>());
        var shapes = categories.Keys.ToDictionary(k => k, _ => new HashSet<string>());

        // Note: interleaved, so that load from other processes on the machine falls on every category alike.
        for (var i = 0; i < Trials; i++)
        {
            foreach (var (name, body) in categories)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/auth/login", body(i));
                times[name].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                shapes[name].Add(BruteForceTests.Describe(response) + " " + await response.Content.ReadAsStringAsync());
            }
        }

        var medians = times.ToDictionary(t => t.Key, t => Median(t.Value));
        var report = string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F1} ms"));
        output.WriteLine($"Median login time over {Trials} trials each: {report}");
        Assert.Equal(shapes["unknown user"], shapes["wrong password"]);
        Assert.Equal(shapes["locked account"], shapes["locked unknown name"]);
        Assert.Contains("401", Assert.Single(shapes["unknown user"]), StringComparison.Ordinal);
        Assert.Contains("too_many_attempts", Assert.Single(shapes["locked account"]), StringComparison.Ordinal);
        Assert.True(medians.Values.Max() - medians.Values.Min() < MaxMedianDifferenceMs, $"Median login times differ too much: {report}");
    }

    /// <summary>A fifth of one hash (~130 ms here): timing noise on a shared 2-core machine stays well inside it.</summary>
    private const double MaxMedianDifferenceMs = 25;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
