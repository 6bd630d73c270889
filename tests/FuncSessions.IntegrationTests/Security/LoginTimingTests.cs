using System.Diagnostics;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Passwords;
using FuncSessions.Users;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>
/// Case 23: unknown user, wrong password and locked account (existing or not) cannot be told apart by status, body,
/// headers or time. Each costs one password hash; a path that skipped it would answer one hash faster. The bound is
/// relative to one hash as measured in the same run (login time minus that of a request refused before any work), so
/// it holds on a loaded machine, where a hash takes twice as long, and still catches a missing hash.
/// Run once per configured algorithm, each with accounts whose stored hash is of the other one (a deployment part way
/// through a migration): those cost another algorithm's hash, ten times more or less CPU, and must not stand out.
/// </summary>
public abstract class LoginTimingTests(AzuriteFixture fixture, ITestOutputHelper output, PasswordHashAlgorithm configured) : ApiTest(fixture)
{
    private const int Trials = 100;
    private const string WrongPassword = "not the right passphrase";

    // Note: the per-address limit is not under test here and would otherwise stop 400 failures from one address.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Throttling:ClientLimit"] = "1000000",
        ["FuncSessions:Passwords:Algorithm"] = configured.ToString(),
    };

    private PasswordHashAlgorithm Other => configured == PasswordHashAlgorithm.Argon2id ? PasswordHashAlgorithm.Pbkdf2 : PasswordHashAlgorithm.Argon2id;

    [Fact]
    public Task Case23_UnknownUser_WrongPassword_AndLockedAccounts_LookAndTakeTheSame() =>
        TimingComparison.AssertIndistinguishableAsync(output, MeasureAsync);

    /// <summary>One run, on accounts of its own so that no run's failures add up to a lockout in the next.</summary>
    private async Task<(bool, string)> MeasureAsync()
    {
        using var client = Server.CreateClient();
        // Four failures each stay below the progressive delay (from the fifth), so these accounts never lock.
        var accounts = new List<string>();
        var otherAlgorithmAccounts = new List<string>();
        for (var i = 0; i < Trials / 4; i++)
        {
            accounts.Add(await RegisterAsync(client));
            otherAlgorithmAccounts.Add(await StoreAccountHashedWithAsync(Other));
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
            [$"wrong password, {Other} hash"] = i => new { username = otherAlgorithmAccounts[i % otherAlgorithmAccounts.Count], password = WrongPassword },
            ["locked account"] = _ => new { username = lockedAccount, password = Password },
            ["locked unknown name"] = _ => new { username = lockedUnknown, password = Password },
            [Baseline] = _ => new { username = lockedUnknown },
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

        var medians = times.Where(t => t.Key != Baseline).ToDictionary(t => t.Key, t => Median(t.Value));
        var hash = medians.Values.Max() - Median(times[Baseline]);
        var report = string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F1} ms")) + $"; one hash {hash:F1} ms";
        Assert.Equal(shapes["unknown user"], shapes["wrong password"]);
        Assert.Equal(shapes["unknown user"], shapes[$"wrong password, {Other} hash"]);
        Assert.Equal(shapes["locked account"], shapes["locked unknown name"]);
        Assert.Contains("401", Assert.Single(shapes["unknown user"]), StringComparison.Ordinal);
        Assert.Contains("too_many_attempts", Assert.Single(shapes["locked account"]), StringComparison.Ordinal);
        Assert.Contains("invalid_request", Assert.Single(shapes[Baseline]), StringComparison.Ordinal);
        return (medians.Values.Max() - medians.Values.Min() < hash / 4, $"median login time over {Trials} trials each: {report}");
    }

    /// <summary>An account as an earlier setting stored it: its hash made with the other algorithm, the user row as written.</summary>
    private async Task<string> StoreAccountHashedWithAsync(PasswordHashAlgorithm algorithm)
    {
        var username = NewUsername();
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions { Algorithm = algorithm }));
        var user = new UserAccount
        {
            UserId = FuncSessions.Sessions.SecureIds.NewId(),
            Key = UserKeys.ForUsername(Usernames.Normalize(username)),
            Username = username,
            NormalizedUsername = Usernames.Normalize(username),
            PasswordHash = hasher.Hash(Password),
            CreatedAt = Server.Time.GetUtcNow(),
        };
        Assert.True(await Server.Services.GetRequiredService<IUserStore>().TryCreateAsync(user, CancellationToken.None));
        Assert.StartsWith(algorithm == PasswordHashAlgorithm.Argon2id ? "$argon2id$" : "$pbkdf2-sha256$", user.PasswordHash, StringComparison.Ordinal);
        return username;
    }

    /// <summary>A login without a password: refused before any storage call or hash, the time of everything but the work.</summary>
    private const string Baseline = "missing password";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>Case 23 with Argon2id configured (the default) and accounts still on PBKDF2 hashes.</summary>
public sealed class LoginTimingTestsArgon2id(AzuriteFixture fixture, ITestOutputHelper output)
    : LoginTimingTests(fixture, output, PasswordHashAlgorithm.Argon2id);

/// <summary>Case 23 with PBKDF2 configured and accounts on Argon2id hashes (a deployment that switched back).</summary>
public sealed class LoginTimingTestsPbkdf2(AzuriteFixture fixture, ITestOutputHelper output)
    : LoginTimingTests(fixture, output, PasswordHashAlgorithm.Pbkdf2);
