using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>ASVS 5.0 V3.4 response headers and the account requirements of V6/V7 that no numbered case covers.</summary>
public sealed class BrowserHeaderCases(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Asvs3_4_EveryApiResponse_CarriesHstsNosniffFrameAncestorsAndReferrerPolicy()
    {
        var (client, _, _) = await SignedInClientAsync();
        using var _ = client;
        using var anonymous = Server.CreateClient();

        var responses = new List<HttpResponseMessage>
        {
            await client.GetAsync("/api/auth/validate"),
            await client.GetAsync("/api/auth/sessions"),
            await client.GetAsync("/api/auth/jwks"),
            await client.PostAsync("/api/auth/refresh"),
            await anonymous.GetAsync("/api/auth/validate"),
            await anonymous.PostRawAsync("/api/auth/login", "{}", "text/plain"),
            await client.PostAsync("/api/auth/logout"),
        };

        foreach (var response in responses)
        {
            using var _r = response;
            Assert.Equal("max-age=31536000; includeSubDomains", response.Headers.GetValues("Strict-Transport-Security").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.False(response.Headers.Contains("Server"), "the self-host names no server software");
        }
    }

    [Fact]
    public async Task Asvs6_3_2_NoDefaultAccountsExist_OnAFreshDeployment()
    {
        using var client = Server.CreateClient();

        foreach (var username in new[] { "admin", "root", "sa" })
        {
            foreach (var password in new[] { username, "password", Password })
            {
                using var login = await client.PostAsync("/api/auth/login", new { username, password });
                await login.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            }
        }

        await foreach (var _ in Server.Services.GetRequiredService<FuncSessions.Storage.TableClients>().Users.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            Assert.Fail("A fresh deployment holds a user account.");
        }
    }

    [Fact]
    public async Task Asvs6_2_10_PasswordsNeverExpire_OnlySessionsDo()
    {
        using var client = Server.CreateClient();
        var username = await RegisterAsync(client);

        Server.Time.Advance(TimeSpan.FromDays(800));

        await LoginAsync(client, username);
    }

    [Fact]
    public async Task Asvs7_6_2_RegistrationStartsNoSession_OnlyAnExplicitLoginDoes()
    {
        using var client = Server.CreateClient();
        using var register = await client.PostAsync("/api/auth/register", new { username = NewUsername(), password = Password });

        Assert.True(register.IsSuccessStatusCode, register.StatusCode.ToString());
        Assert.Empty(client.LastSetCookies);
        var body = await register.Content.ReadAsStringAsync();
        Assert.DoesNotContain("sessionId", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Token", body, StringComparison.Ordinal);
        using var validate = await client.GetAsync("/api/auth/validate");
        await validate.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }
}
