using System.Collections.Concurrent;
using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>
/// Issue 14.1: an attacker who has the password keeps logging in while the victim changes it. Logins that read the
/// old hash before the change and finish after it must not leave a session behind.
/// </summary>
public sealed class CredentialChangeRaceTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const int Attackers = 6;

    // Note: the attacker's logins that land after the change are wrong guesses; this test is about the race, not about
    // the lockout they would otherwise cause (BruteForceTests covers that).
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["FuncSessions:Throttling:AccountFailureLimit"] = "100",
        ["FuncSessions:Throttling:ClientLimit"] = "100000",
    };

    [Fact]
    public async Task LoginsInFlightDuringAPasswordChange_LeaveExactlyTheOneNewSession_RepeatedOverSeveralChanges()
    {
        var (victim, username, _) = await SignedInClientAsync();
        using var _ = victim;
        var password = Password;

        for (var round = 1; round <= 3; round++)
        {
            var newPassword = $"a brand new passphrase, round {round} of three";
            var stolen = new ConcurrentBag<(string AccessToken, string RefreshToken)>();
            using var changed = new CancellationTokenSource();
            var firstStolen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attackers = Enumerable.Range(0, Attackers).Select(_ => Task.Run(async () =>
            {
                using var attacker = Server.CreateClient();
                // Note: one more login after the change returned, so logins straddle the change on every round.
                for (var afterChange = false; !afterChange;)
                {
                    afterChange = changed.IsCancellationRequested;
                    attacker.Cookies.Clear();
                    using var login = await attacker.PostAsync("/api/auth/login", new { username, password });
                    if (login.StatusCode == HttpStatusCode.OK)
                    {
                        stolen.Add((attacker.Cookies[TokenDelivery.AccessTokenCookie], attacker.Cookies[TokenDelivery.RefreshTokenCookie]));
                        firstStolen.TrySetResult();
                    }
                }
            })).ToList();

            // Note: the change starts once the attackers' logins are going through, however slow the machine is.
            await firstStolen.Task.WaitAsync(TimeSpan.FromMinutes(2));
            await Task.Delay(TimeSpan.FromMilliseconds(100 * round));
            // Note: the attackers' logins contend for the name's throttle row; a check that cannot take its slot within a
            // few rounds fails closed with 429 and Retry-After, which a real client honours, so the victim retries.
            var status = HttpStatusCode.TooManyRequests;
            for (var attempt = 0; attempt < 5 && status == HttpStatusCode.TooManyRequests; attempt++)
            {
                using var change = await victim.PostAsync("/api/auth/password", new { currentPassword = password, newPassword });
                status = change.StatusCode;
                if (status == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(change.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                }
            }

            Assert.Equal(HttpStatusCode.OK, status);

            await changed.CancelAsync();
            await Task.WhenAll(attackers);
            password = newPassword;

            Assert.NotEmpty(stolen);
            using var list = await victim.GetAsync("/api/auth/sessions");
            var sessions = (await list.JsonAsync())["sessions"]!.AsArray();
            Assert.True(sessions.Count == 1, $"round {round}: {sessions.Count} sessions after the password change instead of 1");
            foreach (var (accessToken, refreshToken) in stolen)
            {
                using var attacker = Server.CreateClient();
                attacker.Cookies[TokenDelivery.AccessTokenCookie] = accessToken;
                using var validate = await attacker.GetAsync("/api/auth/validate");
                Assert.Equal(HttpStatusCode.Unauthorized, validate.StatusCode);
                attacker.Cookies.Clear();
                attacker.Cookies[TokenDelivery.RefreshTokenCookie] = refreshToken;
                using var refresh = await attacker.PostAsync("/api/auth/refresh");
                Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
            }
        }
    }
}
