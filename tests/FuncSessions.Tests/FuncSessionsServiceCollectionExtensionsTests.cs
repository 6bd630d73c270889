using FuncSessions.Email;
using FuncSessions.Http;
using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Throttling;
using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests;

public sealed class FuncSessionsServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddOptions();
        services.AddFuncSessions(configuration);
        return services.BuildServiceProvider();
    }

    private static T Options<T>(params (string Key, string Value)[] settings)
        where T : class
    {
        using var provider = Build(settings);
        return provider.GetRequiredService<IOptions<T>>().Value;
    }

    private static OptionsValidationException Invalid<T>(params (string Key, string Value)[] settings)
        where T : class =>
        Assert.Throws<OptionsValidationException>(() => Options<T>(settings));

    [Fact]
    public void AddFuncSessions_AcceptsTheEmptyLinkBaseUrlWhileEmailIsOff_AndRefusesOneThatIsNoAbsoluteHttpUrl()
    {
        Assert.Equal("", Options<EmailOptions>().LinkBaseUrl);
        Assert.Equal("https://app.example.com/", Options<EmailOptions>(("FuncSessions:Email:LinkBaseUrl", "https://app.example.com/")).LinkBaseUrl);
        Assert.Contains("FuncSessions:Email:LinkBaseUrl", Invalid<EmailOptions>(("FuncSessions:Email:LinkBaseUrl", "ftp://app.example.com/")).Message, StringComparison.Ordinal);
        Assert.Contains("FuncSessions:Email:LinkBaseUrl", Invalid<EmailOptions>(("FuncSessions:Email:LinkBaseUrl", "/relative")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFuncSessions_BindsSessionDefaultsWhenNothingIsConfigured()
    {
        var sessions = Options<SessionOptions>();

        Assert.Equal(TimeSpan.FromDays(7), sessions.IdleTimeout);
        Assert.Equal(TimeSpan.FromDays(30), sessions.AbsoluteLifetime);
        Assert.Equal(TimeSpan.FromSeconds(10), sessions.RefreshGracePeriod);
        Assert.Equal(10, sessions.SpentTokenHistory);
    }

    [Fact]
    public void AddFuncSessions_BindsTokenPasswordAndSweepDefaultsWhenNothingIsConfigured()
    {
        var tokens = Options<TokenOptions>();
        var passwords = Options<PasswordOptions>();

        Assert.Equal(TimeSpan.FromMinutes(10), tokens.AccessTokenLifetime);
        Assert.Equal(("funcsessions", "funcsessions-api"), (tokens.Issuer, tokens.Audience));
        Assert.Equal((600_000, 15, 1024), (passwords.Pbkdf2Iterations, passwords.MinLength, passwords.MaxLength));
        Assert.Equal("0 */15 * * * *", Options<SweepOptions>().Schedule);
        Assert.Equal(TokenTransport.Cookie, Options<HttpOptions>().TokenTransport);
        Assert.True(Options<UserOptions>().AllowRegistration);
        Assert.Equal(("AzureWebJobsStorage", "FuncSessions"), (Options<StorageOptions>().Connection, Options<StorageOptions>().TablePrefix));
    }

    [Fact]
    public void AddFuncSessions_BindsConfiguredValues()
    {
        var sessions = Options<SessionOptions>(
            ("FuncSessions:Sessions:IdleTimeout", "01:00:00"),
            ("FuncSessions:Sessions:AbsoluteLifetime", "12:00:00"),
            ("FuncSessions:Sessions:RefreshGracePeriod", "00:00:05"));

        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(12), TimeSpan.FromSeconds(5)),
            (sessions.IdleTimeout, sessions.AbsoluteLifetime, sessions.RefreshGracePeriod));
        Assert.Equal(800_000, Options<PasswordOptions>(("FuncSessions:Passwords:Pbkdf2Iterations", "800000")).Pbkdf2Iterations);
        Assert.Equal(TokenTransport.Bearer, Options<HttpOptions>(("FuncSessions:Http:TokenTransport", "Bearer")).TokenTransport);
    }

    [Theory]
    [InlineData("599999")]
    [InlineData("1000")]
    [InlineData("10000001")]
    public void AddFuncSessions_RejectsPbkdf2IterationsOutsideRange(string iterations)
    {
        var error = Invalid<PasswordOptions>(("FuncSessions:Passwords:Pbkdf2Iterations", iterations));

        Assert.Contains(error.Failures, f => f.Contains("Pbkdf2Iterations", StringComparison.Ordinal));
    }

    [Fact]
    public void AddFuncSessions_DefaultsToArgon2idAtOwaspMinimum_WithACappedHashingQueue()
    {
        var passwords = Options<PasswordOptions>();

        Assert.Equal((PasswordHashAlgorithm.Argon2id, 19_456, 2), (passwords.Algorithm, passwords.Argon2idMemoryKiB, passwords.Argon2idIterations));
        Assert.Equal((8, TimeSpan.FromSeconds(5)), (passwords.MaxConcurrentHashes, passwords.HashQueueTimeout));
        Assert.Equal(PasswordHashAlgorithm.Pbkdf2, Options<PasswordOptions>(("FuncSessions:Passwords:Algorithm", "Pbkdf2")).Algorithm);
    }

    [Theory]
    [InlineData("Argon2idMemoryKiB", "19455")]
    [InlineData("Argon2idMemoryKiB", "1048577")]
    [InlineData("Argon2idIterations", "1")]
    [InlineData("Argon2idIterations", "17")]
    [InlineData("MaxConcurrentHashes", "0")]
    [InlineData("HashQueueTimeout", "-00:00:01")]
    [InlineData("HashQueueTimeout", "00:01:01")]
    [InlineData("Algorithm", "7")]
    public void AddFuncSessions_RejectsPasswordHashSettingsBelowTheFloorOrOutOfRange_NamingTheSetting(string setting, string value)
    {
        var error = Invalid<PasswordOptions>(("FuncSessions:Passwords:" + setting, value));

        Assert.Contains(error.Failures, f => f.Contains(setting, StringComparison.Ordinal));
    }

    [Fact]
    public void AddFuncSessions_AcceptsPbkdf2IterationsAtFloor()
    {
        Assert.Equal(600_000, Options<PasswordOptions>(("FuncSessions:Passwords:Pbkdf2Iterations", "600000")).Pbkdf2Iterations);
    }

    [Theory]
    [InlineData("not a schedule")]
    [InlineData("*/15 * * * *")]
    [InlineData("0 */15 * * * * *")]
    [InlineData("0 */15 25 * * *")]
    public void AddFuncSessions_RejectsSweepScheduleThatIsNotSixFieldNcrontab(string schedule)
    {
        var error = Invalid<SweepOptions>(("FuncSessionsSweepSchedule", schedule));

        Assert.Contains(error.Failures, f => f.Contains("FuncSessionsSweepSchedule", StringComparison.Ordinal));
    }

    [Fact]
    public void AddFuncSessions_ReadsSweepScheduleFromFlatSetting()
    {
        Assert.Equal("0 0 * * * *", Options<SweepOptions>(("FuncSessionsSweepSchedule", "0 0 * * * *")).Schedule);
    }

    [Theory]
    [InlineData("FuncSessions:Sessions:IdleTimeout", "00:04:59")]
    [InlineData("FuncSessions:Sessions:AbsoluteLifetime", "366.00:00:00")]
    [InlineData("FuncSessions:Sessions:RefreshGracePeriod", "00:01:01")]
    [InlineData("FuncSessions:Sessions:SpentTokenHistory", "1")]
    public void AddFuncSessions_RejectsSessionOptionsOutsideRange(string key, string value)
    {
        Invalid<SessionOptions>((key, value));
    }

    [Theory]
    [InlineData("FuncSessions:Http:AllowedOrigins", "*")]
    [InlineData("FuncSessions:Http:AllowedOrigins", "https://app.example.com/")]
    [InlineData("FuncSessions:Http:AllowedOrigins", "https://*.example.com")]
    [InlineData("FuncSessions:Http:AllowedOrigins", "app.example.com")]
    [InlineData("FuncSessions:Http:ForwardedForHeader", "X Forwarded")]
    [InlineData("FuncSessions:Http:ForwardedForHops", "0")]
    public void AddFuncSessions_RejectsOriginsThatAreNotExact_AndBadForwardingSettings(string key, string value)
    {
        Invalid<HttpOptions>((key, value));
    }

    [Fact]
    public void AddFuncSessions_AcceptsACommaSeparatedListOfExactOrigins()
    {
        var http = Options<HttpOptions>(("FuncSessions:Http:AllowedOrigins", " https://app.example.com, http://localhost:5173 "));

        Assert.Equal(["https://app.example.com", "http://localhost:5173"], http.AllowedOriginList());
    }

    [Theory]
    [InlineData("FuncSessions:Throttling:AccountFailureLimit", "101")]
    [InlineData("FuncSessions:Throttling:AccountFailureLimit", "1")]
    [InlineData("FuncSessions:Throttling:AccountLockout", "00:00:59")]
    [InlineData("FuncSessions:Throttling:ClientLimit", "4")]
    [InlineData("FuncSessions:Throttling:ClientWindow", "1.00:00:01")]
    public void AddFuncSessions_RejectsThrottlingOutsideRange(string key, string value)
    {
        Invalid<ThrottleOptions>((key, value));
    }

    [Theory]
    [InlineData("FuncSessions:Tokens:AccessTokenLifetime", "00:00:30")]
    [InlineData("FuncSessions:Tokens:AccessTokenLifetime", "01:00:01")]
    [InlineData("FuncSessions:Tokens:Issuer", "")]
    public void AddFuncSessions_RejectsTokenOptionsOutsideRange(string key, string value)
    {
        Invalid<TokenOptions>((key, value));
    }

    [Theory]
    [InlineData("FuncSessions:Passwords:MinLength", "7")]
    [InlineData("FuncSessions:Passwords:MaxLength", "63")]
    [InlineData("FuncSessions:Http:MaxRequestBodyBytes", "100")]
    [InlineData("FuncSessions:Storage:TablePrefix", "1bad")]
    public void AddFuncSessions_RejectsOtherOptionsOutsideRange(string key, string value)
    {
        Assert.Throws<OptionsValidationException>(() =>
        {
            using var provider = Build((key, value));
            _ = provider.GetRequiredService<IOptions<PasswordOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<HttpOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        });
    }

    [Theory]
    [InlineData("FuncSessions:Passwords:Pbkdf2Iterations", "599999")]
    [InlineData("FuncSessionsSweepSchedule", "*/15 * * * *")]
    [InlineData("FuncSessions:Sessions:IdleTimeout", "00:00:01")]
    [InlineData("FuncSessions:Tokens:AccessTokenLifetime", "02:00:00")]
    [InlineData("FuncSessions:Storage:TablePrefix", "bad-prefix")]
    [InlineData("FuncSessions:Http:MaxRequestBodyBytes", "0")]
    public void AddFuncSessions_FailsStartupValidationWhenAnyOptionIsInvalid(string key, string value)
    {
        using var provider = Build((key, value));
        var startup = provider.GetRequiredService<IStartupValidator>();

        Assert.Throws<OptionsValidationException>(startup.Validate);
    }

    [Fact]
    public void AddFuncSessions_PassesStartupValidationWithDefaults()
    {
        using var provider = Build();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad kid!")]
    public void AddFuncSessions_RejectsSigningKeyIdThatBreaksItsAnnotations(string keyId)
    {
        // An empty kid is not cosmetic: tokens are then issued with "kid": "" and none of them ever validates.
        Invalid<TokenOptions>(("FuncSessions:Tokens:SigningKeys:0:KeyId", keyId), ("FuncSessions:Tokens:SigningKeys:0:PrivateKey", SigningKeyRing.NewPrivateKey()));
    }

    [Fact]
    public void AddFuncSessions_RejectsSigningKeyWithoutPrivateKey()
    {
        Invalid<TokenOptions>(("FuncSessions:Tokens:SigningKeys:0:KeyId", "k1"), ("FuncSessions:Tokens:SigningKeys:0:PrivateKey", ""));
    }

    [Fact]
    public void AddFuncSessions_RejectsDuplicateSigningKeyIds()
    {
        var error = Invalid<TokenOptions>(
            ("FuncSessions:Tokens:SigningKeys:0:KeyId", "k1"), ("FuncSessions:Tokens:SigningKeys:0:PrivateKey", SigningKeyRing.NewPrivateKey()),
            ("FuncSessions:Tokens:SigningKeys:1:KeyId", "k1"), ("FuncSessions:Tokens:SigningKeys:1:PrivateKey", SigningKeyRing.NewPrivateKey()));

        Assert.Contains(error.Failures, f => f.Contains("unique", StringComparison.Ordinal));
    }

    [Fact]
    public void AddFuncSessions_BindsSigningKeysInOrder()
    {
        var tokens = Options<TokenOptions>(
            ("FuncSessions:Tokens:SigningKeys:0:KeyId", "2026-11"), ("FuncSessions:Tokens:SigningKeys:0:PrivateKey", SigningKeyRing.NewPrivateKey()),
            ("FuncSessions:Tokens:SigningKeys:1:KeyId", "2026-05"), ("FuncSessions:Tokens:SigningKeys:1:PrivateKey", SigningKeyRing.NewPrivateKey()));

        Assert.Equal(["2026-11", "2026-05"], tokens.SigningKeys.Select(k => k.KeyId));
    }

    [Fact]
    public void AddFuncSessions_RegistersStartupInitializerOnceWhenCalledTwice()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();

        services.AddFuncSessions(configuration);
        services.AddFuncSessions(configuration);

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(StartupInitializer));
        Assert.Single(services, d => d.ServiceType == typeof(ISessionStore));
    }
}
