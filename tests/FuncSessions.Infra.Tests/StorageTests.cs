namespace FuncSessions.Infra.Tests;

public sealed class StorageTests
{
    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void StorageAccount_AcceptsOnlyEntraAuthenticatedHttpsWithNoPublicBlobs(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);

        // Act
        var storage = deployment.Single("Microsoft.Storage/storageAccounts");
        var properties = storage["properties"]!;

        // Assert
        Assert.Equal("StorageV2", (string?)storage["kind"]);
        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void DeploymentContainer_IsPrivateAndIsWhereTheAppLoadsItsPackageFrom(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var storageId = (string)deployment.Single("Microsoft.Storage/storageAccounts")["id"]!;

        // Act
        var container = deployment.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        var packageSource = deployment.FunctionApp["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;

        // Assert
        Assert.Equal("None", (string?)container["properties"]!["publicAccess"]);
        Assert.Equal("blobContainer", (string?)packageSource["type"]);
        Assert.Equal(
            FakeAzure.Property(storageId, "primaryEndpoints.blob") + ((string)container["name"]!).Split('/')[^1],
            deployment.Evaluate(packageSource["value"]));
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void SessionTables_AreCreatedWithTheTablePrefixTheAppIsGiven(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var prefix = deployment.AppSettings["FuncSessions__Storage__TablePrefix"];

        // Act
        var tables = deployment.OfType("Microsoft.Storage/storageAccounts/tableServices/tables")
            .Select(t => ((string)t["name"]!).Split('/')[^1]);

        // Assert
        Assert.Equal(new[] { "Users", "Sessions", "SessionExpiry", "Throttles", "Tokens" }.Select(t => prefix + t).Order(), tables.Order());
    }

    [Fact]
    public void StorageAccount_IsZoneRedundantByDefault()
    {
        // Arrange
        var deployment = Deployment.Shipped;

        // Act
        var storage = deployment.Single("Microsoft.Storage/storageAccounts");

        // Assert
        Assert.Equal("Standard_ZRS", (string?)storage["sku"]!["name"]);
    }

    [Fact]
    public void StorageSku_ComesFromTheParameter()
    {
        // Arrange
        var deployment = Deployment.Rotation;

        // Act
        var storage = deployment.Single("Microsoft.Storage/storageAccounts");

        // Assert
        Assert.Equal("Standard_GZRS", (string?)storage["sku"]!["name"]);
    }

    [Fact]
    public void StorageSku_AllowsOnlyStandardGeneralPurposeSkus()
    {
        // Arrange
        // Note: premium general-purpose v2 accounts have no tables or queues, which the host and the app need.
        string[] standard = ["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS"];

        // Act
        var parameter = BicepCli.CompiledTemplate()["parameters"]!["storageSku"]!;

        // Assert
        Assert.Equal(standard.Order(), parameter["allowedValues"]!.AsArray().Select(v => (string?)v).Order());
        Assert.Equal("Standard_ZRS", (string?)parameter["defaultValue"]);
    }
}
