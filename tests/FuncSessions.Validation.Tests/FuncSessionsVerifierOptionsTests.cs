using FuncSessions.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncSessions.Validation.Tests;

public sealed class FuncSessionsVerifierOptionsTests
{
    [Fact]
    public void Check_AcceptsTheDefaultsWithAnAuthority() =>
        Assert.Null(new FuncSessionsVerifierOptions { Authority = new Uri("https://auth.example.com") }.Check());

    [Theory]
    [InlineData(null, "Authority")]
    [InlineData("ftp://auth.example.com", "Authority")]
    public void Check_NamesTheAuthorityWhenItIsNotAnHttpBaseUrl(string? authority, string setting) =>
        Assert.Contains(setting, new FuncSessionsVerifierOptions { Authority = authority is null ? null : new Uri(authority) }.Check());

    [Fact]
    public void Check_RefusesAStrictModeCacheLongerThanAMinute_AndARefreshIntervalLongerThanTheCache()
    {
        var authority = new Uri("https://auth.example.com");
        Assert.Contains("StrictModeCacheDuration", new FuncSessionsVerifierOptions { Authority = authority, StrictModeCacheDuration = TimeSpan.FromMinutes(2) }.Check());
        Assert.Contains("KeySetMinimumRefreshInterval", new FuncSessionsVerifierOptions
        {
            Authority = authority,
            KeySetCacheDuration = TimeSpan.FromSeconds(10),
            KeySetMinimumRefreshInterval = TimeSpan.FromSeconds(30),
        }.Check());
    }

    [Fact]
    public async Task AddFuncSessionsBearer_WithoutAnAuthority_StopsStartUp_NamingTheSetting()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddAuthentication().AddFuncSessionsBearer(o => o.Audience = "api");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Authority", error.Message);
    }

    [Fact]
    public async Task AddFuncSessionsBearer_WithAnAuthority_Starts_AndMakesItTheDefaultScheme()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddAuthentication().AddFuncSessionsBearer(o => o.Authority = new Uri("http://localhost:7071"));
        await using var app = builder.Build();

        await app.StartAsync();

        var schemes = app.Services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();
        Assert.Equal(FuncSessionsBearerDefaults.AuthenticationScheme, (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);
        await app.StopAsync();
    }
}
