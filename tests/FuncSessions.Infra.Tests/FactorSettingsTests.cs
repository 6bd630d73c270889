using System.Security.Cryptography;
using FuncSessions.Passkeys;
using FuncSessions.SecondFactors;

namespace FuncSessions.Infra.Tests;

/// <summary>Second factors and passkeys in Azure: the encryption key from Key Vault, the relying party from the page origins.</summary>
public sealed class FactorSettingsTests
{
    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(SecretUri=";
    private const string FactorKeySecret = "factor-encryption-key";

    [Fact]
    public void FactorKey_IsWrittenToKeyVaultAndReferencedFromTheSettings()
    {
        // Arrange
        var deployment = Deployment.Shipped;

        // Act
        var secret = Assert.Single(
            deployment.OfType("Microsoft.KeyVault/vaults/secrets"),
            s => ((string)s["name"]!).EndsWith("/" + FactorKeySecret, StringComparison.Ordinal));
        var settings = deployment.AppSettings;

        // Assert
        Assert.Equal("[parameters('factorEncryptionKey')]", (string?)secret["properties"]!["value"]);
        Assert.Equal(
            $"{KeyVaultReferencePrefix}{FakeAzure.SecretUri(deployment.VaultName, FactorKeySecret)})",
            settings["FuncSessions__Factors__EncryptionKey"]);
        Assert.True(FactorOptions.IsValidKey(deployment.ResolvedAppSettings()["FuncSessions__Factors__EncryptionKey"]));
    }

    [Fact]
    public void WithoutAKeyParameter_TheVaultsKeyIsKeptAndReferenced()
    {
        // Arrange
        var deployment = Deployment.Rotation;

        // Act
        var written = deployment.OfType("Microsoft.KeyVault/vaults/secrets")
            .Where(s => ((string)s["name"]!).EndsWith("/" + FactorKeySecret, StringComparison.Ordinal));
        var settings = deployment.AppSettings;

        // Assert
        Assert.Empty(written);
        Assert.Equal(
            $"{KeyVaultReferencePrefix}{FakeAzure.SecretUri(deployment.VaultName, FactorKeySecret)})",
            settings["FuncSessions__Factors__EncryptionKey"]);
    }

    [Fact]
    public void FactorKeyParameter_IsSecureAndNeverCompiledIntoTheParametersFile()
    {
        // Arrange
        var template = BicepCli.CompiledTemplate();
        var parameters = BicepCli.CompiledParameters();

        // Act
        var declaredType = (string?)template["parameters"]!["factorEncryptionKey"]!["type"];
        var compiledValue = (string?)parameters["parameters"]!["factorEncryptionKey"]?["value"];

        // Assert
        Assert.Equal("securestring", declaredType, ignoreCase: true);
        Assert.True(string.IsNullOrEmpty(compiledValue));
    }

    [Fact]
    public void WithoutAllowedOrigins_PasskeysAreOff()
    {
        // Arrange
        var settings = Deployment.Shipped.AppSettings;

        // Act
        var options = new PasskeyOptions
        {
            RelyingPartyId = settings["FuncSessions__Passkeys__RelyingPartyId"],
            Origins = settings["FuncSessions__Passkeys__Origins"],
        };

        // Assert
        Assert.False(options.IsConfigured);
        Assert.Equal("", options.Origins);
    }

    [Fact]
    public void RelyingParty_IsTheFirstPageOriginsHost_AndOnlyOriginsOnItMayRunCeremonies()
    {
        // Arrange
        var settings = Deployment.Rotation.AppSettings;

        // Act
        var relyingPartyId = settings["FuncSessions__Passkeys__RelyingPartyId"];
        var origins = settings["FuncSessions__Passkeys__Origins"];

        // Assert
        // Note: https://admin.example.com is not on app.example.com, so a browser would refuse the ceremony there anyway.
        Assert.Equal("app.example.com", relyingPartyId);
        Assert.Equal("https://app.example.com", origins);
        Assert.Null(new PasskeyOptions { RelyingPartyId = relyingPartyId, Origins = origins }.Problem());
    }

    [Fact]
    public void ASharedRelyingPartyId_AdmitsEveryPageOriginUnderIt()
    {
        // Arrange
        var deployment = Deployment.Of("shared-rp", """
            param environmentName = 'shared-rp'
            param allowedOrigins = ['https://app.example.com:8443', 'https://admin.example.com', 'https://other.example.org']
            param passkeyRelyingPartyId = 'example.com'
            """, Keys(), new Dictionary<string, string>());

        // Act
        var settings = deployment.AppSettings;

        // Assert
        Assert.Equal("example.com", settings["FuncSessions__Passkeys__RelyingPartyId"]);
        Assert.Equal("https://app.example.com:8443,https://admin.example.com", settings["FuncSessions__Passkeys__Origins"]);
    }

    [Fact]
    public void SecondFactorsOff_WritesNoKeyAndTurnsPasskeysOff()
    {
        // Arrange
        var deployment = Deployment.Of("factors-off", """
            param environmentName = 'factors-off'
            param secondFactors = false
            param allowedOrigins = ['https://app.example.com']
            """, Keys(), new Dictionary<string, string>());

        // Act
        var settings = deployment.AppSettings;
        var secrets = deployment.OfType("Microsoft.KeyVault/vaults/secrets").Select(s => (string)s["name"]!);

        // Assert
        Assert.Equal("", settings["FuncSessions__Factors__EncryptionKey"]);
        Assert.Equal("", settings["FuncSessions__Passkeys__RelyingPartyId"]);
        Assert.DoesNotContain(secrets, name => name.EndsWith("/" + FactorKeySecret, StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Keys() => new()
    {
        ["signingKey"] = FuncSessions.Tokens.SigningKeyRing.NewPrivateKey(),
        ["factorEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };
}
