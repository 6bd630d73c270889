using FuncSessions.Email;

namespace FuncSessions.Infra.Tests;

/// <summary>Email in Azure: SMTP settings from parameters, the password only through Key Vault, the mail queue and its role.</summary>
public sealed class EmailTests
{
    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(SecretUri=";

    [Fact]
    public void Shipped_LeavesEmailOff_WithNoSmtpSecret()
    {
        // Arrange
        var deployment = Deployment.Shipped;

        // Act
        var settings = deployment.AppSettings;

        // Assert
        Assert.Equal("", settings["FuncSessions__Email__Smtp__Host"]);
        Assert.Equal("", settings["FuncSessions__Email__Smtp__Password"]);
        Assert.Equal("", settings["FuncSessions__Email__LinkBaseUrl"]);
        Assert.DoesNotContain(deployment.OfType("Microsoft.KeyVault/vaults/secrets"), s => ((string)s["name"]!).EndsWith("/smtp-password", StringComparison.Ordinal));
    }

    [Fact]
    public void SmtpSettings_ComeFromTheParameters()
    {
        // Arrange
        var settings = Deployment.Rotation.AppSettings;

        // Act
        var smtp = settings.Where(s => s.Key.StartsWith("FuncSessions__Email__", StringComparison.Ordinal)).ToDictionary();

        // Assert
        Assert.Equal("smtp.azurecomm.net", smtp["FuncSessions__Email__Smtp__Host"]);
        Assert.Equal("587", smtp["FuncSessions__Email__Smtp__Port"]);
        Assert.Equal("StartTls", smtp["FuncSessions__Email__Smtp__Security"]);
        Assert.StartsWith("funcsessions-acs.", smtp["FuncSessions__Email__Smtp__User"], StringComparison.Ordinal);
        Assert.Equal("https://app.example.com/", smtp["FuncSessions__Email__LinkBaseUrl"]);
        Assert.Equal("DoNotReply@mail.example.com", smtp["FuncSessions__Email__FromAddress"]);
        Assert.Equal("true", settings["FuncSessions__Users__RequireVerifiedEmail"]);
    }

    [Fact]
    public void SmtpPassword_IsASecureParameter_WrittenToKeyVault_AndOnlyReferencedFromTheSettings()
    {
        // Arrange
        var deployment = Deployment.Rotation;
        var template = BicepCli.CompiledTemplate();

        // Act
        var secret = Assert.Single(deployment.OfType("Microsoft.KeyVault/vaults/secrets"), s => ((string)s["name"]!).EndsWith("/smtp-password", StringComparison.Ordinal));
        var setting = deployment.AppSettings["FuncSessions__Email__Smtp__Password"];

        // Assert
        Assert.Equal("securestring", (string?)template["parameters"]!["smtpPassword"]!["type"], ignoreCase: true);
        Assert.True(string.IsNullOrEmpty((string?)BicepCli.CompiledParameters()["parameters"]!["smtpPassword"]?["value"]));
        Assert.Equal("[parameters('smtpPassword')]", (string?)secret["properties"]!["value"]);
        Assert.Equal($"{KeyVaultReferencePrefix}{FakeAzure.SecretUri(deployment.VaultName, "smtp-password")})", setting);
        Assert.DoesNotContain(deployment.AppSettings.Values, v => v.Contains(Deployment.SmtpPassword, StringComparison.Ordinal));
        Assert.Equal(Deployment.SmtpPassword, deployment.ResolvedAppSettings()["FuncSessions__Email__Smtp__Password"]);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void MailQueue_AndItsPoisonQueue_AreCreated_AndNamedInTheSettingTheQueueTriggerReads(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var prefix = deployment.AppSettings["FuncSessions__Storage__TablePrefix"];

        // Act
        var queueName = deployment.AppSettings[EmailOptions.QueueSettingName];
        var queues = deployment.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => ((string)q["name"]!).Split('/')[^1]);

        // Assert
        Assert.Equal(prefix.ToLowerInvariant() + "mail", queueName);
        Assert.Equal([queueName, queueName + "-poison"], queues.Order());
        var options = new MailQueueOptions { Name = queueName };
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), null, validateAllProperties: true));
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AppIdentity_MayReadWriteAndDeleteQueueMessages_OnTheStorageAccount(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";

        // Act
        var assignments = deployment.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => deployment.Evaluate(a["properties"]!["roleDefinitionId"]).EndsWith(StorageQueueDataContributor, StringComparison.Ordinal))
            .ToList();

        // Assert
        var assignment = Assert.Single(assignments);
        Assert.Equal(FakeAzure.PrincipalIdOf(deployment.IdentityId), deployment.Evaluate(assignment["properties"]!["principalId"]));
    }

    [Fact]
    public void MailDeliveryAttempts_EqualTheHostsMaxDequeueCount()
    {
        // Arrange
        using var hostJson = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "..", "host.json")));

        // Act
        var maxDequeueCount = hostJson.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32();

        // Assert
        Assert.All(Deployment.ScenarioNames, scenario =>
            Assert.Equal(maxDequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture), Deployment.Named(scenario).AppSettings["FuncSessions__Email__MaxDeliveryAttempts"]));
    }
}
