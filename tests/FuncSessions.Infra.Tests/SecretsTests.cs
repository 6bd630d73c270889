namespace FuncSessions.Infra.Tests;

public sealed class SecretsTests
{
    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(SecretUri=";

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AppSettings_HoldNoCredential(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        string[] credentialMarkers =
        [
            "AccountKey=", "SharedAccessSignature=", "SharedAccessKey=", "DefaultEndpointsProtocol=", "InstrumentationKey=",
            "UseDevelopmentStorage",
        ];

        // Act
        var settings = deployment.AppSettings;
        var appInsights = settings["APPLICATIONINSIGHTS_CONNECTION_STRING"];

        // Assert
        // Note: App Insights' connection string carries an instrumentation key, which with local auth disabled
        // (AppInsights_AcceptsOnlyTheAppIdentitysTokens) identifies the component but cannot send data.
        Assert.All(settings.Where(s => s.Key != "APPLICATIONINSIGHTS_CONNECTION_STRING"), setting => Assert.DoesNotContain(
            credentialMarkers, marker => setting.Value.Contains(marker, StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(
            ["IngestionEndpoint", "InstrumentationKey"],
            appInsights.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0]).Order());
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain("APPINSIGHTS_INSTRUMENTATIONKEY", settings.Keys);
        Assert.DoesNotContain("FuncSessions__Tokens__DevelopmentKeyFile", settings.Keys);
    }

    [Fact]
    public void Template_ReadsNoKeysFromAnyResource()
    {
        // Arrange
        string[] keyReaders = ["listKeys(", "listConnectionStrings(", "listAccountSas(", "listServiceSas(", "listSecrets("];

        // Act
        var template = BicepCli.CompiledTemplate().ToJsonString();

        // Assert
        Assert.DoesNotContain(keyReaders, reader => template.Contains(reader, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void SigningKeyParameter_IsSecureAndNeverCompiledIntoTheParametersFile()
    {
        // Arrange
        var template = BicepCli.CompiledTemplate();
        var parameters = BicepCli.CompiledParameters();

        // Act
        var declaredType = (string?)template["parameters"]!["signingKey"]!["type"];
        var compiledValue = (string?)parameters["parameters"]!["signingKey"]?["value"];

        // Assert
        Assert.Equal("securestring", declaredType, ignoreCase: true);
        Assert.True(string.IsNullOrEmpty(compiledValue));
    }

    [Fact]
    public void SigningKey_IsWrittenToKeyVaultAndReferencedFromTheSettings()
    {
        // Arrange
        var deployment = Deployment.Shipped;

        // Act
        var secret = Assert.Single(
            deployment.OfType("Microsoft.KeyVault/vaults/secrets"),
            s => ((string)s["name"]!).EndsWith("/signing-key-key-1", StringComparison.Ordinal));
        var settings = deployment.AppSettings;

        // Assert
        Assert.Equal("[parameters('signingKey')]", (string?)secret["properties"]!["value"]);
        Assert.Equal("key-1", settings["FuncSessions__Tokens__SigningKeys__0__KeyId"]);
        Assert.Equal(
            $"{KeyVaultReferencePrefix}{FakeAzure.SecretUri(deployment.VaultName, "signing-key-key-1")})",
            settings["FuncSessions__Tokens__SigningKeys__0__PrivateKey"]);
        Assert.DoesNotContain("FuncSessions__Tokens__SigningKeys__1__KeyId", settings.Keys);
    }

    [Fact]
    public void Rotation_KeepsTheVaultsKeysAndReferencesTheNewAndThePreviousKey()
    {
        // Arrange
        var deployment = Deployment.Rotation;

        // Act
        var writtenSigningKeys = deployment.OfType("Microsoft.KeyVault/vaults/secrets")
            .Where(s => ((string)s["name"]!).Contains("/signing-key-", StringComparison.Ordinal));
        var settings = deployment.AppSettings;

        // Assert
        Assert.Empty(writtenSigningKeys);
        Assert.Equal("key-2026.11_b", settings["FuncSessions__Tokens__SigningKeys__0__KeyId"]);
        Assert.Equal(
            $"{KeyVaultReferencePrefix}{FakeAzure.SecretUri(deployment.VaultName, "signing-key-key-2026-11-b")})",
            settings["FuncSessions__Tokens__SigningKeys__0__PrivateKey"]);
        Assert.Equal("key-1", settings["FuncSessions__Tokens__SigningKeys__1__KeyId"]);
        Assert.Equal(
            $"{KeyVaultReferencePrefix}{FakeAzure.SecretUri(deployment.VaultName, "signing-key-key-1")})",
            settings["FuncSessions__Tokens__SigningKeys__1__PrivateKey"]);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void KeyVault_AuthorizesWithRbac(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);

        // Act
        var vault = deployment.Single("Microsoft.KeyVault/vaults");

        // Assert
        Assert.True((bool)vault["properties"]!["enableRbacAuthorization"]!);
        Assert.Equal(FakeAzure.TenantId, (string?)vault["properties"]!["tenantId"]);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AppInsights_AcceptsOnlyTheAppIdentitysTokens(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var appInsights = deployment.Single("Microsoft.Insights/components");
        var clientId = FakeAzure.ClientIdOf(deployment.IdentityId);

        // Act
        var settings = deployment.AppSettings;

        // Assert
        Assert.True((bool)appInsights["properties"]!["DisableLocalAuth"]!);
        Assert.Equal(
            (string?)deployment.Single("Microsoft.OperationalInsights/workspaces")["id"],
            (string?)appInsights["properties"]!["WorkspaceResourceId"]);
        Assert.Equal($"ClientId={clientId};Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AppInsightsConnectionString_IsAPlainSettingThePortalCanRead(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var appInsightsId = (string)deployment.Single("Microsoft.Insights/components")["id"]!;

        // Act
        var setting = deployment.AppSettings["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var secretsWritten = deployment.OfType("Microsoft.KeyVault/vaults/secrets").Select(s => deployment.Evaluate(s["name"]));

        // Assert
        // Note: the portal's Monitor and Invocations views stay empty when this setting is a Key Vault reference.
        Assert.Equal(FakeAzure.Property(appInsightsId, "ConnectionString"), setting);
        Assert.All(secretsWritten, name => Assert.Matches("/(signing-key-.+|factor-encryption-key|smtp-password)$", name));
    }

    [Fact]
    public void KeyVault_HasPurgeProtectionByDefault()
    {
        // Arrange
        var deployment = Deployment.Shipped;

        // Act
        var properties = deployment.Single("Microsoft.KeyVault/vaults")["properties"]!;

        // Assert
        Assert.True((bool)properties["enablePurgeProtection"]!);
        Assert.True((bool)properties["enableSoftDelete"]!);
        Assert.Equal(7, (int)properties["softDeleteRetentionInDays"]!);
    }

    [Fact]
    public void KeyVault_WithoutPurgeProtection_LeavesThePropertyUnsetBecauseArmRefusesFalse()
    {
        // Arrange
        var deployment = Deployment.Rotation;

        // Act
        var properties = deployment.Single("Microsoft.KeyVault/vaults")["properties"]!.AsObject();

        // Assert
        // Note: ARM does not send a null property to the resource provider; "enablePurgeProtection": false is refused.
        Assert.Null(properties["enablePurgeProtection"]);
    }

    [Theory]
    [InlineData("signingKeyId", "key 1")]
    [InlineData("signingKeyId", "key/1")]
    [InlineData("signingKeyId", "kéy-1")]
    [InlineData("previousSigningKeyId", "key:0")]
    public void KeyIdOutsideThePattern_StopsTheDeployment(string parameter, string keyId)
    {
        // Arrange
        var other = parameter == "signingKeyId" ? "param previousSigningKeyId = ''" : "param signingKeyId = 'key-2'";
        var parameters = $"""
            param environmentName = 'bad-key-id'
            {other}
            param {parameter} = '{keyId}'
            """;
        var scenario = $"bad-key-id-{parameter}-{Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(keyId))}";

        // Act
        var failure = Assert.Throws<InvalidOperationException>(() => BicepCli.Snapshot(scenario, parameters));

        // Assert
        Assert.Contains($"{parameter} \"{keyId}\" is not a key id", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key_1", "key.1")]
    [InlineData("key.1", "key-1")]
    [InlineData("key-1", "Key_1")]
    [InlineData("key-1", "key-1")]
    public void KeyIdsSharingASecret_StopTheDeploymentBeforeTheLiveKeyIsOverwritten(string signingKeyId, string previousSigningKeyId)
    {
        // Arrange
        var parameters = $"""
            param environmentName = 'key-id-collision'
            param signingKeyId = '{signingKeyId}'
            param previousSigningKeyId = '{previousSigningKeyId}'
            """;

        // Act
        var failure = Assert.Throws<InvalidOperationException>(
            () => BicepCli.Snapshot($"key-id-collision-{signingKeyId}-{previousSigningKeyId}", parameters));

        // Assert
        Assert.Contains(
            $"signingKeyId \"{signingKeyId}\" and previousSigningKeyId \"{previousSigningKeyId}\" map to the same Key Vault secret",
            failure.Message,
            StringComparison.Ordinal);
    }
}
