using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using FuncSessions.Email;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncSessions.Infra.Tests;

/// <summary>
/// The settings Bicep writes are exactly the settings the app reads: same names, values the app's options accept,
/// and a storage connection the app's own code turns into clients for the tables Bicep creates.
/// </summary>
public sealed class AppSettingsContractTests
{
    private const string LibraryPrefix = "FuncSessions__";

    /// <summary>Settings read by the Functions host rather than by FuncSessions (the host also reads AzureWebJobsStorage).</summary>
    private static readonly string[] HostSettings =
    [
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT",
    ];

    /// <summary>Options classes by configuration section, as the library declares them.</summary>
    private static readonly IReadOnlyDictionary<string, Type> OptionsBySection = typeof(TokenOptions).Assembly
        .GetExportedTypes()
        .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(t => t.Field is { IsLiteral: true })
        .ToDictionary(t => (string)t.Field!.GetRawConstantValue()!, t => t.Type);

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void EverySetting_IsReadByTheHostOrByFuncSessions(string scenario)
    {
        // Arrange
        var settings = Deployment.Named(scenario).AppSettings;

        // Act
        var unread = settings.Keys
            .Where(name => !HostSettings.Contains(name) && name != SweepOptions.ScheduleSettingName && name != EmailOptions.QueueSettingName)
            .Where(name => !name.StartsWith(LibraryPrefix, StringComparison.Ordinal) || OptionsPropertyOf(name) is null);

        // Assert
        Assert.Empty(unread);
    }

    [Fact]
    public void EveryOptionsProperty_IsSetByBicep()
    {
        // Arrange
        // Note: the development key file must never be set in Azure, where a missing key has to stop start-up.
        // The admin keys are the self-host's: in Azure the Functions host keys guard the admin API (docs/deploy.md).
        string[] localOnly = ["FuncSessions__Tokens__DevelopmentKeyFile", "FuncSessions__Admin__Keys"];
        var settings = Deployment.Shipped.AppSettings;

        // Act
        var unset = OptionsBySection
            .SelectMany(o => SettingNames(o.Key.Replace(":", "__", StringComparison.Ordinal), o.Value))
            .Where(name => !localOnly.Contains(name) && !settings.ContainsKey(name));

        // Assert
        Assert.Empty(unset);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void SettingsTheAppCannotStartWithout_ArePresent(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var settings = deployment.AppSettings;

        // Act
        var connection = settings["FuncSessions__Storage__Connection"];

        // Assert
        Assert.All(
            new[]
            {
                "FuncSessions__Tokens__Issuer", "FuncSessions__Tokens__Audience",
                "FuncSessions__Tokens__SigningKeys__0__KeyId", "FuncSessions__Tokens__SigningKeys__0__PrivateKey",
            },
            name => Assert.False(string.IsNullOrWhiteSpace(settings.GetValueOrDefault(name)), $"{name} is missing."));
        Assert.DoesNotContain(connection, settings.Keys);
        Assert.True(settings.ContainsKey($"{connection}__tableServiceUri") || settings.ContainsKey($"{connection}__accountName"));
        Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
        Assert.Equal(FakeAzure.ClientIdOf(deployment.IdentityId), settings[$"{connection}__clientId"]);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void Settings_BindToTheOptionsClassesAndPassTheirValidation(string scenario)
    {
        // Arrange
        var configuration = AsConfiguration(Deployment.Named(scenario).ResolvedAppSettings());
        var errors = new List<string>();

        // Act
        foreach (var (section, type) in OptionsBySection)
        {
            var options = OwnKeys(configuration, section).Get(type, binder => binder.ErrorOnUnknownConfiguration = true)
                ?? Activator.CreateInstance(type)!;
            Validate(options, section, errors);
        }

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AppRegistration_PassesItsStartUpValidationWithTheSettings(string scenario)
    {
        // Arrange
        using var services = AppServices(Deployment.Named(scenario));

        // Act
        var failure = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        // Assert
        Assert.Null(failure);
    }

    [Theory]
    [InlineData(nameof(Deployment.Shipped), new[] { "key-1" })]
    [InlineData(nameof(Deployment.Rotation), new[] { "key-2026.11_b", "key-1" })]
    public void SigningKeys_LoadFromTheKeyVaultSecretsInOrder(string scenario, string[] keyIds)
    {
        // Arrange
        using var services = AppServices(Deployment.Named(scenario));

        // Act
        var ring = services.GetRequiredService<SigningKeyRing>();

        // Assert
        Assert.Equal(keyIds, ring.Keys.Select(k => k.KeyId));
        Assert.Equal(keyIds[0], ring.Signing.Key.KeyId);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void StorageConnection_GivesTheAppClientsForTheTablesBicepCreates(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        using var services = AppServices(deployment);
        var tableEndpoint = FakeAzure.Property(
            (string)deployment.Single("Microsoft.Storage/storageAccounts")["id"]!, "primaryEndpoints.table");
        var created = deployment.OfType("Microsoft.Storage/storageAccounts/tableServices/tables")
            .Select(t => ((string)t["name"]!).Split('/')[^1]);

        // Act
        var tables = services.GetRequiredService<TableClients>();
        var used = new[] { tables.Users, tables.Sessions, tables.SessionExpiry, tables.Throttles, tables.Tokens };

        // Assert
        Assert.Equal(created.Order(), used.Select(t => t.Name).Order());
        Assert.All(used, t => Assert.Equal(new Uri(new Uri(tableEndpoint), t.Name), t.Uri));
    }

    [Fact]
    public void ShippedSettings_AreTheLibraryDefaultsExceptWhereAzureNeedsOtherwise()
    {
        // Arrange
        var configuration = AsConfiguration(Deployment.Shipped.ResolvedAppSettings());
        // Note: these have no sensible library default for a deployment, or are derived from the deployment.
        // The admin keys are the self-host's only (a dictionary, never set in Azure).
        string[] deploymentSpecific =
        [
            "FuncSessions:Tokens:Issuer", "FuncSessions:Tokens:Audience", "FuncSessions:Tokens:SigningKeys",
            "FuncSessions:Factors:EncryptionKey", "FuncSessions:Admin:Keys",
            // Note: Bicep writes one provider slot, unused (no name) unless a provider is configured.
            "FuncSessions:External:Providers",
        ];
        var differences = new List<string>();

        // Act
        foreach (var (section, type) in OptionsBySection)
        {
            var bound = configuration.GetSection(section).Get(type) ?? Activator.CreateInstance(type)!;
            var defaults = Activator.CreateInstance(type)!;
            // Note: an empty setting is how Bicep leaves an optional string unset (e.g. no passkey relying party).
            differences.AddRange(type.GetProperties()
                .Where(p => p.CanWrite && !deploymentSpecific.Contains($"{section}:{p.Name}"))
                .Where(p => !Equals(Unset(p.GetValue(bound)), Unset(p.GetValue(defaults))))
                .Select(p => $"{section}:{p.Name} is {p.GetValue(bound)}, the library default is {p.GetValue(defaults)}"));
        }

        differences.AddRange(configuration[EmailOptions.QueueSettingName] == new MailQueueOptions().QueueName(new StorageOptions())
            ? []
            : [$"{EmailOptions.QueueSettingName} is not the library's default name, {{TablePrefix}}mail in lower case"]);
        differences.AddRange(configuration[SweepOptions.ScheduleSettingName] == new SweepOptions().Schedule
            ? []
            : [$"{SweepOptions.ScheduleSettingName} differs from the library default"]);

        // Assert
        Assert.Empty(differences);
    }

    private static object? Unset(object? value) => value as string == "" ? null : value;

    /// <summary>The app's own service registration over the deployed settings, as both hosts build it.</summary>
    private static ServiceProvider AppServices(Deployment deployment) =>
        new ServiceCollection()
            .AddLogging()
            .AddFuncSessions(AsConfiguration(deployment.ResolvedAppSettings()))
            .BuildServiceProvider();

    /// <summary>The configuration the app sees: environment variables, whose "__" the host turns into ":".</summary>
    private static IConfiguration AsConfiguration(IReadOnlyDictionary<string, string> settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .Build();

    /// <summary>
    /// A section's keys without those of options sections nested in it (FuncSessions:Email:Smtp in FuncSessions:Email),
    /// which its own options class does not bind.
    /// </summary>
    private static IConfiguration OwnKeys(IConfiguration configuration, string section) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.GetSection(section).AsEnumerable(makePathsRelative: true)
                .Where(p => !OptionsBySection.Keys.Any(nested => nested != section && $"{section}:{p.Key}".StartsWith(nested, StringComparison.Ordinal))))
            .Build();

    /// <summary>The options property a "FuncSessions__Section__Property[__index__Property]" setting binds to, if any.</summary>
    private static PropertyInfo? OptionsPropertyOf(string settingName)
    {
        var path = settingName.Split("__");
        // Note: the longest section that names an options class (FuncSessions:Email:Smtp before FuncSessions:Email).
        var start = Enumerable.Range(2, Math.Max(0, path.Length - 2)).Reverse()
            .FirstOrDefault(i => OptionsBySection.ContainsKey(string.Join(':', path[..i])));
        if (start == 0 || !OptionsBySection.TryGetValue(string.Join(':', path[..start]), out var type))
        {
            return null;
        }

        PropertyInfo? property = null;
        for (var i = start; i < path.Length; i++)
        {
            property = type.GetProperty(path[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }

            type = property.PropertyType;
            if (ElementTypeOf(type) is { } element)
            {
                if (++i >= path.Length || !int.TryParse(path[i], out _))
                {
                    return null;
                }

                type = element;
            }

            if (i < path.Length - 1 && type.Assembly != typeof(TokenOptions).Assembly)
            {
                return null;
            }
        }

        return property;
    }

    /// <summary>The setting names that reach every property of an options class (the first element of lists).</summary>
    private static IEnumerable<string> SettingNames(string prefix, Type type) =>
        type.GetProperties().Where(p => p.CanWrite).SelectMany(p => ElementTypeOf(p.PropertyType) is { } element
            ? SettingNames($"{prefix}__{p.Name}__0", element)
            : [$"{prefix}__{p.Name}"]);

    private static Type? ElementTypeOf(Type type) =>
        type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type)
            ? type.GetGenericArguments()[0]
            : null;

    private static void Validate(object options, string path, List<string> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        errors.AddRange(results.Select(r => $"{path}: {r.ErrorMessage}"));
        foreach (var property in options.GetType().GetProperties())
        {
            if (ElementTypeOf(property.PropertyType) is { } element && element.Assembly == options.GetType().Assembly
                && property.GetValue(options) is IEnumerable items)
            {
                var index = 0;
                foreach (var item in items)
                {
                    Validate(item, $"{path}:{property.Name}:{index++}", errors);
                }
            }
        }
    }
}
