namespace FuncSessions.Infra.Tests;

public sealed class FunctionAppTests
{
    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void Plan_IsLinuxFlexConsumption(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);

        // Act
        var plan = deployment.Single("Microsoft.Web/serverfarms");

        // Assert
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);
        Assert.Equal((string?)plan["id"], (string?)deployment.FunctionApp["properties"]!["serverFarmId"]);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void FunctionApp_RunsDotnetIsolated10OverHttpsOnly(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);

        // Act
        var app = deployment.FunctionApp;
        var runtime = app["properties"]!["functionAppConfig"]!["runtime"]!;

        // Assert
        Assert.Equal("functionapp,linux", (string?)app["kind"]);
        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("10.0", (string?)runtime["version"]);
        Assert.True((bool)app["properties"]!["httpsOnly"]!);
    }

    [Fact]
    public void Scale_ComesFromTheParameters()
    {
        // Arrange
        var deployment = Deployment.Rotation;

        // Act
        var scale = deployment.FunctionApp["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;

        // Assert
        Assert.Equal(50, (int)scale["maximumInstanceCount"]!);
        Assert.Equal(4096, (int)scale["instanceMemoryMB"]!);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AppIdentity_IsTheOnlyIdentityAndIsUsedForPackagesAndKeyVaultReferences(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);

        // Act
        var app = deployment.FunctionApp;
        var identity = app["identity"]!;
        var packageAuthentication = app["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!;

        // Assert
        Assert.Equal("UserAssigned", (string?)identity["type"]);
        Assert.Equal([deployment.IdentityId], identity["userAssignedIdentities"]!.AsObject().Select(i => i.Key));
        Assert.Equal(deployment.IdentityId, (string?)app["properties"]!["keyVaultReferenceIdentity"]);
        Assert.Equal("UserAssignedIdentity", (string?)packageAuthentication["type"]);
        Assert.Equal(deployment.IdentityId, (string?)packageAuthentication["userAssignedIdentityResourceId"]);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AppSettings_LeaveRuntimeSelectionToFunctionAppConfig(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        string[] rejectedByFlex =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME_VERSION",
            "WEBSITE_RUN_FROM_PACKAGE", "SCM_DO_BUILD_DURING_DEPLOYMENT", "WEBSITE_CONTENTSHARE",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        ];

        // Act
        var settings = deployment.AppSettings;
        var siteConfig = deployment.FunctionApp["properties"]!["siteConfig"]!.AsObject();

        // Assert
        Assert.Empty(settings.Keys.Intersect(rejectedByFlex));
        Assert.False(siteConfig.ContainsKey("linuxFxVersion"));
        Assert.False(siteConfig.ContainsKey("netFrameworkVersion"));
        // Note: a second source of settings would be overwritten by the config/appsettings resource anyway.
        Assert.False(siteConfig.ContainsKey("appSettings"));
    }

    [Fact]
    public void Cors_AllowsTheConfiguredOriginsWithCredentials()
    {
        // Arrange
        var deployment = Deployment.Rotation;

        // Act
        var cors = deployment.FunctionApp["properties"]!["siteConfig"]!["cors"]!;

        // Assert
        Assert.True((bool)cors["supportCredentials"]!);
        Assert.Equal(
            ["https://app.example.com", "https://admin.example.com"],
            cors["allowedOrigins"]!.AsArray().Select(o => (string?)o));
    }

    [Fact]
    public void Outputs_NameTheAppAndTheApiBaseUrlOnTheDefaultHostName()
    {
        // Arrange
        var deployment = Deployment.Shipped;
        var appId = (string)deployment.FunctionApp["id"]!;
        var hostName = FakeAzure.Property(appId, "defaultHostName");

        // Act
        var outputs = deployment.Outputs;

        // Assert
        Assert.Equal((string?)deployment.FunctionApp["name"], deployment.Evaluate(outputs["functionAppName"]));
        Assert.Equal(hostName, deployment.Evaluate(outputs["defaultHostName"]));
        Assert.Equal($"https://{hostName}/api", deployment.Evaluate(outputs["apiBaseUrl"]));
    }

    [Fact]
    public void ApiBaseUrlAndIssuer_UseTheCustomDomainWhenOneIsGiven()
    {
        // Arrange
        var deployment = Deployment.Rotation;

        // Act
        var apiBaseUrl = deployment.Evaluate(deployment.Outputs["apiBaseUrl"]);

        // Assert
        Assert.Equal("https://api.example.com/api", apiBaseUrl);
        Assert.Equal(apiBaseUrl, deployment.AppSettings["FuncSessions__Tokens__Issuer"]);
        Assert.Equal("https://api.example.com", deployment.AppSettings["FuncSessions__Tokens__Audience"]);
    }

    [Theory]
    [InlineData(nameof(Deployment.Shipped), "65536")]
    [InlineData(nameof(Deployment.Rotation), "131072")]
    public void HostBodyLimit_LeavesTheAppRoomToAnswerAndStopsLargerBodiesAtTheHost(string scenario, string expected)
    {
        // Arrange
        var settings = Deployment.Named(scenario).AppSettings;

        // Act
        var hostLimit = settings["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"];
        var appLimit = settings["FuncSessions__Http__MaxRequestBodyBytes"];

        // Assert
        // Note: the host reads it as a long in bytes; without it the host buffers up to 100 MiB.
        Assert.Equal(expected, hostLimit);
        Assert.True(long.Parse(hostLimit, System.Globalization.CultureInfo.InvariantCulture)
            >= 4 * long.Parse(appLimit, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void FunctionApp_KeepsTheClassicDefaultHostName(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);

        // Act
        var properties = deployment.FunctionApp["properties"]!.AsObject();

        // Assert
        // Note: autoGeneratedDomainNameLabelScope would give func-<token>-<hash>.<region>-01.azurewebsites.net instead.
        Assert.False(properties.ContainsKey("autoGeneratedDomainNameLabelScope"));
        Assert.Equal("func-", ((string)deployment.FunctionApp["name"]!)[..5]);
    }
}
