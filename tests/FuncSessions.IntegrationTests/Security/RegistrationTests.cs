using System.Diagnostics;
using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>Case 30: registering a taken name answers exactly like registering a free one (ASVS 6.3.8).</summary>
public sealed class RegistrationTests(AzuriteFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    private const int Trials = 20;

    [Fact]
    public async Task Case30_TakenAndFreeNames_GetTheSameResponse_InTheSameTime()
    {
        using var client = Server.CreateClient();
        var taken = await RegisterAsync(client);
        var free = new List<double>();
        var existing = new List<double>();
        var shapes = new HashSet<string>();

        for (var i = 0; i < Trials; i++)
        {
            foreach (var (username, times) in new[] { (NewUsername(), free), (taken, existing) })
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/auth/register", new { username, password = "a different passphrase " + i });
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                shapes.Add(BruteForceTests.Describe(response) + " " + await response.Content.ReadAsStringAsync());
            }
        }

        var (freeMedian, takenMedian) = (free.Order().ElementAt(Trials / 2), existing.Order().ElementAt(Trials / 2));
        output.WriteLine($"Median registration time over {Trials} trials each: free name {freeMedian:F1} ms, taken name {takenMedian:F1} ms");
        var shape = Assert.Single(shapes);
        Assert.StartsWith("202 ", shape, StringComparison.Ordinal);
        Assert.EndsWith(" ", shape, StringComparison.Ordinal);
        // Both paths hash the password (~130 ms); a taken name skipping the hash would be that much faster.
        Assert.True(Math.Abs(freeMedian - takenMedian) < 40, $"free {freeMedian:F1} ms, taken {takenMedian:F1} ms");
        // The first owner keeps the name and password.
        await LoginAsync(client, taken);
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
}
