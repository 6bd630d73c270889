using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Email;

/// <summary>With email off (no SMTP host) the app needs no queue service: it starts on a tables-only connection string.</summary>
public sealed class EmailOffTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    // Note: without a QueueEndpoint the SDK would aim at devstoreaccount1.queue.core.windows.net, which does not resolve.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = Azurite.ConnectionString[..Azurite.ConnectionString.IndexOf("QueueEndpoint=", StringComparison.Ordinal)],
    };

    [Fact]
    public async Task WithEmailOff_TheSelfHostStartsWithoutAQueueService_AndTheEmailRoutesAnswerEmailDisabled()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);
        await LoginAsync(client, username);

        using var reset = await client.PostAsync("/api/auth/password/reset/request", new { email = "someone@example.com" });

        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        Assert.Equal("email_disabled", (string?)(await reset.JsonAsync())["code"]);
    }
}
