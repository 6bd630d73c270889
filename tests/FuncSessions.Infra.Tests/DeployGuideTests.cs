namespace FuncSessions.Infra.Tests;

/// <summary>docs/deploy.md describes what the template deploys, not what an earlier version did.</summary>
public sealed class DeployGuideTests
{
    private static readonly string Guide =
        File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "..", "docs", "deploy.md"));

    [Fact]
    public void Guide_ListsEveryTableTheTemplateCreates()
    {
        // Arrange
        var deployment = Deployment.Shipped;

        // Act
        var tables = deployment.OfType("Microsoft.Storage/storageAccounts/tableServices/tables")
            .Select(t => ((string)t["name"]!).Split('/')[^1]);

        // Assert
        Assert.All(tables, table => Assert.Contains($"`{table}`", Guide, StringComparison.Ordinal));
    }

    [Fact]
    public void Guide_NamesEveryEmailParameterOfTheTemplate_AndTheSmtpPasswordsEnvironmentVariable()
    {
        // Arrange
        var parameters = BicepCli.CompiledTemplate()["parameters"]!.AsObject().Select(p => p.Key);
        string[] email = ["smtp", "email", "verificationLinkLifetime", "resetLinkLifetime", "requireVerifiedEmail"];

        // Act
        var emailParameters = parameters.Where(p => email.Any(e => p.StartsWith(e, StringComparison.Ordinal))).ToList();

        // Assert
        Assert.Equal(9 + 3, emailParameters.Count);
        Assert.All(emailParameters, parameter => Assert.Contains($"`{parameter}`", Guide, StringComparison.Ordinal));
        Assert.Contains("FUNCSESSIONS_SMTP_PASSWORD", Guide, StringComparison.Ordinal);
        Assert.Contains("FUNCSESSIONS_SMTP_PASSWORD", File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.bicepparam")), StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_ShowsTheApiUrlOnTheHostNameTheTemplateCreates()
    {
        // Arrange
        var deployment = Deployment.Shipped;
        var appName = (string)deployment.FunctionApp["name"]!;
        var token = appName["func-".Length..];

        // Act
        var apiBaseUrl = deployment.Evaluate(deployment.Outputs["apiBaseUrl"]).Replace(token, "<token>", StringComparison.Ordinal);

        // Assert
        Assert.Equal("https://func-<token>.azurewebsites.net/api", apiBaseUrl);
        Assert.Contains($"echo \"$API\"   # {apiBaseUrl}", Guide, StringComparison.Ordinal);
        Assert.DoesNotContain("-01.azurewebsites.net", Guide, StringComparison.Ordinal);
    }
}
