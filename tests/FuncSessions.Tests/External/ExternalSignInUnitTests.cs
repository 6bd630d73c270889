using FuncSessions.External;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.External;

public sealed class ExternalSignInUnitTests
{
    private static readonly ReturnToPolicy Policy = new(Options.Create(new ExternalSignInOptions { ReturnOrigins = "https://app.example.com, http://localhost:5173" }));

    [Theory]
    [InlineData("https://app.example.com/", true)]
    [InlineData("https://APP.example.com/page?x=1", true)]
    [InlineData("http://localhost:5173/cb", true)]
    [InlineData("https://app.example.com.evil.com/", false)]
    [InlineData("https://evil.com/?https://app.example.com", false)]
    [InlineData("https://user:pw@app.example.com/", false)]
    [InlineData("https://app.example.com/#x", false)]
    [InlineData("/relative", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("", false)]
    public void ReturnTo_MustBeOnAnAllowedOrigin(string returnTo, bool allowed) =>
        Assert.Equal(allowed, Policy.Check(returnTo) is not null);

    [Fact]
    public void GitHub_UsesOnlyThePrimaryVerifiedAddress()
    {
        Assert.Equal("b@example.com", GitHubUsers.PrimaryVerified(
            [new("a@example.com", false, true), new("b@example.com", true, true)]));
        Assert.Null(GitHubUsers.PrimaryVerified([new("a@example.com", true, false), new("b@example.com", false, true)]));
    }

    [Fact]
    public void Transaction_CodeChallenge_IsS256OfTheVerifier()
    {
        // Note: the RFC 7636 appendix B example.
        var transaction = SignInTransaction.Create("p", "https://app.example.com/", "https://api/cb", null)
            with { Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" };

        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", transaction.CodeChallenge);
    }

    [Theory]
    [InlineData(ExternalProviderKind.OpenIdConnect, "http://example.com", "", "", "Authority")]
    [InlineData(ExternalProviderKind.EntraId, "", "not-a-guid", "", "TenantId")]
    [InlineData(ExternalProviderKind.EntraId, "", "organizations", "", "AllowedTenants")]
    public void ProviderSettings_NameTheSettingThatIsWrong(ExternalProviderKind kind, string authority, string tenant, string allowed, string setting)
    {
        var options = new ExternalSignInOptions
        {
            ReturnOrigins = "https://app.example.com",
            Providers = [new() { Name = "p", Kind = kind, Authority = authority, TenantId = tenant, AllowedTenants = allowed, ClientId = "c", ClientSecret = "s" }],
        };

        Assert.Contains($"FuncSessions:External:Providers:0:{setting}", options.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnnamedProviderSlot_IsUnused()
    {
        var options = new ExternalSignInOptions { Providers = [new()] };

        Assert.Null(options.Problem());
        Assert.Empty(options.ConfiguredProviders);
    }
}
