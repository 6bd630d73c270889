using System.Net;
using FuncSessions.Email;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Email;

/// <summary>Delivery through the queue survives a mail outage: SMTP is a real process the test stops and starts.</summary>
public sealed class MailDeliveryTests(AzuriteFixture fixture) : EmailTest(fixture)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["FuncSessions:Email:MaxDeliveryAttempts"] = "3",
        ["FuncSessions:Email:RetryDelay"] = "00:00:01",
    };

    [Fact]
    public async Task SmtpDown_ThenUp_EveryResetMailArrives_OnceEach()
    {
        using var client = Server.CreateClient();
        var emails = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            emails.Add(await RegisterVerifiedAsync(client));
        }

        await Smtp.StopAsync();
        foreach (var email in emails)
        {
            using var request = await client.PostAsync("/api/auth/password/reset/request", new { email });
            Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        }

        // One failed attempt each; the next comes 2 s later (1 s, doubled), with SMTP back, below the three that poison.
        await WaitForAsync(() => Server.Logs.Entries.Count(e => e.EventId.Name == "MailDeliveryFailed") >= emails.Count);
        await Smtp.RestartAsync();

        foreach (var email in emails)
        {
            var token = await LinkTokenAsync(email, "reset-password");
            using var reset = await client.PostAsync("/api/auth/password/reset", new { token, newPassword = NewPassword });
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        // At-least-once: a mail arrives twice only if the server accepted it and the worker lost the message's lease
        // before deleting it, which a healthy run never does.
        Assert.All(emails, email => Assert.Single(Smtp.Mails(), m => m.To.Contains(email, StringComparer.OrdinalIgnoreCase) && m.Text.Contains("#action=reset-password", StringComparison.Ordinal)));
        var queue = Server.Services.GetRequiredService<MailQueue>();
        Assert.Equal(0, (await queue.Poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task SmtpDownForGood_TheMessageGoesToThePoisonQueue_AfterTheConfiguredTries_WithAnAuditEvent()
    {
        using var client = Server.CreateClient();
        var email = await RegisterVerifiedAsync(client);
        await Smtp.StopAsync();

        (await client.PostAsync("/api/auth/password/reset/request", new { email })).Dispose();

        var queue = Server.Services.GetRequiredService<MailQueue>();
        // Note: the worker parks the message, then logs the event, so the test waits for both.
        await WaitForAsync(async () => (await queue.Poison.PeekMessagesAsync(1)).Value.Length == 1
            && Server.Logs.Entries.Any(e => e.EventId.Name == "MailPoisoned"));
        Assert.Equal(2, Server.Logs.Entries.Count(e => e.EventId.Name == "MailDeliveryFailed"));
        var poisoned = Assert.Single(Server.Logs.Entries, e => e.EventId.Name == "MailPoisoned");
        Assert.Contains("after 3 failed attempts", poisoned.Text, StringComparison.Ordinal);
        var parked = MailQueue.Deserialize((await queue.Poison.PeekMessagesAsync(1)).Value[0].Body.ToString());
        Assert.Equal(MailKind.ResetPassword, parked!.Kind);
        Assert.Equal(0, (await queue.Messages.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private static Task WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(100);
        }
    }
}
