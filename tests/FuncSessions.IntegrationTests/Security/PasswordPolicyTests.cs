using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests.Security;

/// <summary>Case 27: common passwords and context words are refused with the reason, at registration and password change.</summary>
public sealed class PasswordPolicyTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("passwordpassword", "password_blocklisted")]
    [InlineData("Q1W2E3R4T5Y6U7I8O9P0", "password_blocklisted")]
    [InlineData("ｑｗｅｒｔｙｕｉｏｐ１２３４５", "password_blocklisted")]
    [InlineData("i really like funcsessions", "password_contains_context")]
    public async Task Case27_Registration_RefusesCommonPasswordsAndTheServiceName_WithTheReason(string password, string code)
    {
        using var client = Server.CreateClient();
        var username = NewUsername();

        using var response = await client.PostAsync("/api/auth/register", new { username, password });
        using var login = await client.PostAsync("/api/auth/login", new { username, password });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.False(string.IsNullOrEmpty((string?)(await response.JsonAsync())["detail"]));
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Case27_PasswordContainingTheUsername_IsRefused_AtRegistrationAndChange()
    {
        using var client = Server.CreateClient();
        var username = NewUsername();

        using var register = await client.PostAsync("/api/auth/register", new { username, password = $"my name is {username.ToUpperInvariant()}!" });
        await RegisterAsync(client, username);
        await LoginAsync(client, username);
        using var change = await client.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = $"still {username} here" });
        using var common = await client.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = "1234567890qwerty" });

        await register.AssertProblemAsync(HttpStatusCode.BadRequest, "password_contains_context");
        await change.AssertProblemAsync(HttpStatusCode.BadRequest, "password_contains_context");
        await common.AssertProblemAsync(HttpStatusCode.BadRequest, "password_blocklisted");
    }
}
