using System.Net;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>Case 15: a refresh race between tabs keeps the user logged in.</summary>
public sealed class RefreshRaceCases(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Case15_ParallelRefreshWithOneToken_OneRotationAllGetSameSuccessor()
    {
        var (client, _, login) = await SignedInClientAsync();
        using var _ = client;
        var token = client.Cookies[TokenDelivery.RefreshTokenCookie];
        var tabs = Enumerable.Range(0, 16).Select(_ =>
        {
            var tab = Server.CreateClient();
            tab.Cookies[TokenDelivery.RefreshTokenCookie] = token;
            return tab;
        }).ToList();

        var responses = await Task.WhenAll(tabs.Select(tab => tab.PostAsync("/api/auth/refresh")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var successors = tabs.Select(t => t.Cookies[TokenDelivery.RefreshTokenCookie]).Distinct().ToList();
        var successor = Assert.Single(successors);
        Assert.NotEqual(token, successor);
        var store = Server.Services.GetRequiredService<ISessionStore>();
        var row = await store.FindAsync((string)login["userId"]!, (string)login["sessionId"]!, CancellationToken.None);
        Assert.Equal(1, row!.Generation);

        foreach (var tab in tabs)
        {
            using var validate = await tab.GetAsync("/api/auth/validate");
            Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        }

        using var next = await tabs[7].PostAsync("/api/auth/refresh");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        foreach (var disposable in responses.Concat<IDisposable>(tabs))
        {
            disposable.Dispose();
        }
    }
}
