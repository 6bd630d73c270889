using System.Text.Json;
using FuncSessions.Email;
using FuncSessions.External;
using FuncSessions.Host;
using FuncSessions.Http;
using FuncSessions.Passkeys;
using FuncSessions.Passwords;
using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Throttling;
using FuncSessions.Tokens;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Users;
using Microsoft.Extensions.Configuration;

namespace FuncSessions.IntegrationTests;

/// <summary>The self-host reads <c>local.settings.sample.json</c> with the names <c>func start</c> uses.</summary>
public sealed class LocalSettingsTests
{
    private static readonly string SamplePath = Path.Combine(RepositoryRoot.Path, "local.settings.sample.json");

    [Fact]
    public void Sample_EveryFuncSessionsSettingBindsToAnOption_WithNoUnknownKey()
    {
        var configuration = SelfHost.CreateBuilder(["--LocalSettingsFile", SamplePath]).Configuration;
        var sections = new Dictionary<string, Type>
        {
            [StorageOptions.SectionName] = typeof(StorageOptions),
            [TokenOptions.SectionName] = typeof(TokenOptions),
            [SessionOptions.SectionName] = typeof(SessionOptions),
            [PasswordOptions.SectionName] = typeof(PasswordOptions),
            [UserOptions.SectionName] = typeof(UserOptions),
            [HttpOptions.SectionName] = typeof(HttpOptions),
            [ThrottleOptions.SectionName] = typeof(ThrottleOptions),
            [SmtpOptions.SectionName] = typeof(SmtpOptions),
            [FactorOptions.SectionName] = typeof(FactorOptions),
            [PasskeyOptions.SectionName] = typeof(PasskeyOptions),
            [ExternalSignInOptions.SectionName] = typeof(ExternalSignInOptions),
        };

        using var sample = JsonDocument.Parse(File.ReadAllText(SamplePath));
        var keys = sample.RootElement.GetProperty("Values").EnumerateObject()
            .Select(p => p.Name.Replace("__", ":", StringComparison.Ordinal))
            .Where(k => k.StartsWith("FuncSessions:", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Contains(sections.Keys.Append(EmailOptions.SectionName), section => key.StartsWith(section + ":", StringComparison.Ordinal)));
        foreach (var (section, type) in sections)
        {
            Assert.NotNull(configuration.GetSection(section).Get(type, o => o.ErrorOnUnknownConfiguration = true));
        }

        // Note: the Smtp subsection sits inside the Email section, so EmailOptions is checked on the section without it.
        var email = new ConfigurationBuilder().AddInMemoryCollection(configuration.GetSection(EmailOptions.SectionName).AsEnumerable(makePathsRelative: true)
            .Where(p => !p.Key.StartsWith("Smtp", StringComparison.Ordinal))).Build();
        Assert.NotNull(email.Get<EmailOptions>(o => o.ErrorOnUnknownConfiguration = true));
        Assert.All(keys.Where(k => k.StartsWith(EmailOptions.SectionName + ":", StringComparison.Ordinal) && !k.StartsWith(SmtpOptions.SectionName + ":", StringComparison.Ordinal)),
            key => Assert.NotNull(typeof(EmailOptions).GetProperty(key[(EmailOptions.SectionName.Length + 1)..])));
        Assert.Equal("funcsessionsmail", configuration[EmailOptions.QueueSettingName]);

        Assert.Equal("http://localhost:7071/api", configuration["FuncSessions:Tokens:Issuer"]);
        Assert.Equal("0 */15 * * * *", configuration[SweepOptions.ScheduleSettingName]);
        Assert.Equal("UseDevelopmentStorage=true", configuration["AzureWebJobsStorage"]);
    }

    // Note: a committed key would be every checkout's key; scripts/run-local.sh makes one per checkout instead.
    [Fact]
    public void Sample_CommitsNoFactorEncryptionKey_AndAllowsPasskeysOnTheLocalPages()
    {
        var configuration = SelfHost.CreateBuilder(["--LocalSettingsFile", SamplePath]).Configuration;

        var passkeys = configuration.GetSection(PasskeyOptions.SectionName).Get<PasskeyOptions>()!;

        Assert.True(string.IsNullOrEmpty(configuration[FactorOptions.EncryptionKeySetting]));
        Assert.Null(passkeys.Problem());
        Assert.Equal(["http://localhost:7071", "http://localhost:5173"], passkeys.OriginList);
    }

    [Fact]
    public void Sample_ListsEveryOptionProperty()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(SamplePath));
        var values = sample.RootElement.GetProperty("Values");
        var expected = new (string Section, Type Type)[]
        {
            ("FuncSessions__Storage__", typeof(StorageOptions)),
            ("FuncSessions__Tokens__", typeof(TokenOptions)),
            ("FuncSessions__Sessions__", typeof(SessionOptions)),
            ("FuncSessions__Passwords__", typeof(PasswordOptions)),
            ("FuncSessions__Users__", typeof(UserOptions)),
            ("FuncSessions__Http__", typeof(HttpOptions)),
            ("FuncSessions__Throttling__", typeof(ThrottleOptions)),
            ("FuncSessions__Email__", typeof(EmailOptions)),
            ("FuncSessions__Email__Smtp__", typeof(SmtpOptions)),
            ("FuncSessions__Factors__", typeof(FactorOptions)),
            ("FuncSessions__Passkeys__", typeof(PasskeyOptions)),
            ("FuncSessions__External__", typeof(ExternalSignInOptions)),
            ("FuncSessions__External__Providers__0__", typeof(ExternalProviderOptions)),
        };

        // Note: signing keys are the exception: locally a generated development key stands in for them. The providers
        // list is checked through its first entry's properties.
        foreach (var (section, type) in expected)
        {
            foreach (var property in type.GetProperties().Where(p => p.CanWrite && p.Name is not (nameof(TokenOptions.SigningKeys) or nameof(ExternalSignInOptions.Providers))))
            {
                Assert.True(values.TryGetProperty(section + property.Name, out _), $"local.settings.sample.json lacks {section}{property.Name}");
            }
        }

        Assert.True(values.TryGetProperty(SweepOptions.ScheduleSettingName, out _));
        Assert.True(values.TryGetProperty(EmailOptions.QueueSettingName, out _));
    }
}
