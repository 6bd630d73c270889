using System.ComponentModel.DataAnnotations;
using FuncSessions;
using FuncSessions.Admin;
using FuncSessions.Email;
using FuncSessions.External;
using FuncSessions.Http;
using Fido2NetLib;
using FuncSessions.Passkeys;
using FuncSessions.Passwords;
using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Throttling;
using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NCrontab;

namespace Microsoft.Extensions.DependencyInjection;

public static class FuncSessionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers everything FuncSessions needs, bound from <paramref name="configuration"/> and validated at start-up.
    /// Both hosts (the self-host and the Functions app) call this one method. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddFuncSessions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        Bind<StorageOptions>(services, configuration, StorageOptions.SectionName);
        Bind<TokenOptions>(services, configuration, TokenOptions.SectionName)
            .Validate(o => o.SigningKeys.All(k => Validator.TryValidateObject(k, new ValidationContext(k), null, validateAllProperties: true)),
                "Every FuncSessions:Tokens:SigningKeys entry needs a KeyId (letters, digits, '.', '_', '-'; up to 64) and a PrivateKey.")
            .Validate(o => o.SigningKeys.Select(k => k.KeyId).Distinct(StringComparer.Ordinal).Count() == o.SigningKeys.Count,
                "FuncSessions:Tokens:SigningKeys key ids must be unique.")
            .Validate(o => IssuerUrl.IsServable(o.Issuer),
                "FuncSessions:Tokens:Issuer, when a URL, must be the API's base URL ending in /api (e.g. https://host/api), " +
                "without query or fragment: discovery is served at {issuer}/.well-known/openid-configuration from /api/.well-known/.");
        Bind<SessionOptions>(services, configuration, SessionOptions.SectionName)
            .Validate(o => SessionDataRules.ParseKeyList(o.ClientWritableDataKeys).All(key => SessionDataRules.CheckName(key) is null),
                "FuncSessions:Sessions:ClientWritableDataKeys must list valid, non-reserved claim names separated by commas.");
        Bind<PasswordOptions>(services, configuration, PasswordOptions.SectionName);
        Bind<UserOptions>(services, configuration, UserOptions.SectionName);
        Bind<HttpOptions>(services, configuration, HttpOptions.SectionName);
        Bind<ThrottleOptions>(services, configuration, ThrottleOptions.SectionName);
        Bind<FactorOptions>(services, configuration, FactorOptions.SectionName)
            .Validate(o => FactorOptions.IsValidKey(o.EncryptionKey),
                $"{FactorOptions.EncryptionKeySetting} must be 32 random bytes in base64 (or empty to turn second factors and passkeys off).");
        services.AddOptions<PasskeyOptions>().Bind(configuration.GetSection(PasskeyOptions.SectionName))
            .Validate(o => o.Problem() is null, "FuncSessions:Passkeys is not valid: check RelyingPartyId and Origins.")
            .ValidateOnStart();
        Bind<ExternalSignInOptions>(services, configuration, ExternalSignInOptions.SectionName)
            .Validate(o => o.Providers.All(p => Validator.TryValidateObject(p, new ValidationContext(p), null, validateAllProperties: true)),
                "Every FuncSessions:External:Providers entry's Name must be up to 32 lower-case letters, digits or '-'.")
            .Validate(o => o.Problem() is null, "FuncSessions:External is not valid: check ReturnOrigins and each provider's Kind, Authority and TenantId.")
            .Validate<IOptions<FactorOptions>>((o, factors) => !o.ConfiguredProviders.Any() || factors.Value.IsConfigured,
                $"FuncSessions:External:Providers needs {FactorOptions.EncryptionKeySetting}: it seals the sign-in's transaction cookie.");
        Bind<SmtpOptions>(services, configuration, SmtpOptions.SectionName);
        Bind<AdminOptions>(services, configuration, AdminOptions.SectionName);
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName)).ValidateDataAnnotations()
            .Validate<IOptions<SmtpOptions>>((o, smtp) => o.LinkBaseUrl.Length == 0 && !smtp.Value.IsConfigured
                    || Uri.TryCreate(o.LinkBaseUrl, UriKind.Absolute, out var page) && page.Scheme is "https" or "http",
                "FuncSessions:Email:LinkBaseUrl must be the absolute http(s) URL of the page that completes the email links (e.g. https://app.example.com/) when FuncSessions:Email:Smtp:Host is set.")
            .Validate<IOptions<SmtpOptions>>((o, smtp) => !smtp.Value.IsConfigured || MimeKit.MailboxAddress.TryParse(o.FromAddress, out _),
                "FuncSessions:Email:FromAddress must be an email address when FuncSessions:Email:Smtp:Host is set.")
            .Validate(o => o.LinkBaseUrl.Length == 0 || !o.LinkBaseUrl.Contains('#', StringComparison.Ordinal),
                "FuncSessions:Email:LinkBaseUrl must not contain a fragment ('#'): the token is added as one.")
            .Validate(o => o.TemplateFolder.Length == 0 || Directory.Exists(o.TemplateFolder),
                "FuncSessions:Email:TemplateFolder must be an existing folder.")
            .ValidateOnStart();
        services.AddOptions<MailQueueOptions>()
            .Configure(o => o.Name = configuration[EmailOptions.QueueSettingName] ?? "")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SweepOptions>()
            .Configure(o => o.Schedule = configuration[SweepOptions.ScheduleSettingName] is { Length: > 0 } s ? s : o.Schedule)
            .ValidateDataAnnotations()
            .Validate(o => CrontabSchedule.TryParse(o.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null,
                $"{SweepOptions.ScheduleSettingName} must be a six-field NCRONTAB expression such as '0 */15 * * * *'.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<FuncSessionsMetrics>();
        services.TryAddSingleton(configuration);
        services.TryAddSingleton<StorageCallCounter>();
        services.TryAddSingleton<TableClients>();
        services.TryAddSingleton<ISessionStore, TableSessionStore>();
        services.TryAddSingleton<IUserStore, TableUserStore>();
        services.TryAddSingleton<IThrottleStore, TableThrottleStore>();
        services.TryAddSingleton<AccountThrottle>();
        services.TryAddSingleton<ClientThrottle>();
        services.TryAddSingleton<RegistrationThrottle>();
        services.TryAddSingleton<ExpiredSessionSweep>();
        services.TryAddSingleton<PasswordHasher>();
        services.TryAddSingleton<HashingSlots>();
        services.TryAddSingleton<CommonPasswords>();
        services.TryAddSingleton<PasswordPolicy>();
        services.TryAddSingleton<UserAccounts>();
        services.TryAddSingleton<SigningKeyRing>();
        services.TryAddSingleton<LogHash>();
        services.TryAddSingleton<AccessTokenIssuer>();
        services.TryAddSingleton<AccessTokenValidator>();
        services.TryAddSingleton<SessionIssuer>();
        services.TryAddSingleton<SessionValidator>();
        services.TryAddSingleton<RefreshTokenRotation>();
        services.TryAddSingleton<SessionDataRules>();
        services.TryAddSingleton<SessionDataUpdate>();
        services.TryAddSingleton<SessionRevocation>();
        services.TryAddSingleton<JsonRequestReader>();
        services.TryAddSingleton<TokenDelivery>();
        services.TryAddSingleton<ClientAddress>();
        services.TryAddSingleton<OriginPolicy>();
        services.TryAddSingleton<RequestGuards>();
        services.TryAddSingleton<SessionEndpoints>();
        services.TryAddSingleton<SessionManagementEndpoints>();
        services.TryAddSingleton<AccountEndpoints>();
        services.TryAddSingleton<KeyEndpoints>();
        services.TryAddSingleton<DiscoveryEndpoints>();
        services.TryAddSingleton<ApiDocumentEndpoints>();
        services.TryAddSingleton<TableOneTimeTokenStore>();
        services.TryAddSingleton<ExpiredTokenSweep>();
        services.TryAddSingleton<ExpiredThrottleSweep>();
        services.TryAddSingleton<ExpiredChallengeMarkerSweep>();
        services.TryAddSingleton<OneTimeTokens>();
        services.TryAddSingleton<EmailPolicy>();
        services.TryAddSingleton<EmailAccounts>();
        services.TryAddSingleton<MailQueue>();
        services.TryAddSingleton<MailQueueTriggerHandler>();
        services.TryAddSingleton<MailTemplates>();
        services.TryAddSingleton<SmtpMailSender>();
        services.TryAddSingleton<MailDispatcher>();
        services.TryAddSingleton<EmailEndpoints>();
        services.TryAddSingleton<ApiFallback>();
        services.TryAddSingleton<TableUserDirectory>();
        services.TryAddSingleton<UserAdministration>();
        services.TryAddSingleton<AdminKeyGate>();
        services.TryAddSingleton<AdminEndpoints>();
        services.TryAddSingleton<IFactorStore, TableFactorStore>();
        services.TryAddSingleton<FactorProtector>();
        services.TryAddSingleton<SealedChallenges>();
        services.TryAddSingleton<TotpCodes>();
        services.TryAddSingleton<TotpFactor>();
        services.TryAddSingleton<RecoveryCodeFactor>();
        services.TryAddSingleton<CredentialChange>();
        services.TryAddSingleton<StepUp>();
        services.TryAddSingleton<SecondFactorStep>();
        services.TryAddSingleton<SecondFactorEndpoints>();
        services.TryAddSingleton<IPasskeyStore, TablePasskeyStore>();
        // Note: built on first use, so a host without passkeys configured never needs an RP id.
        services.TryAddSingleton<IFido2>(provider => new Fido2(PasskeyFido2Configuration.From(provider.GetRequiredService<IOptions<PasskeyOptions>>().Value)));
        services.TryAddSingleton<PasskeyCeremonies>();
        services.TryAddSingleton<PasskeyEndpoints>();
        services.AddHttpClient(ProviderMetadata.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        services.TryAddSingleton<ExternalProviders>();
        services.TryAddSingleton<ProviderMetadata>();
        services.TryAddSingleton<ProviderTokenClient>();
        services.TryAddSingleton<IdTokenValidator>();
        services.TryAddSingleton<GitHubUsers>();
        services.TryAddSingleton<SignInTransactions>();
        services.TryAddSingleton<SignInCodes>();
        services.TryAddSingleton<ReturnToPolicy>();
        services.TryAddSingleton<IExternalIdentityStore, TableExternalIdentityStore>();
        services.TryAddSingleton<ExternalAccounts>();
        services.TryAddSingleton<ExternalSignInFlow>();
        services.TryAddSingleton<ExternalSignInEndpoints>();
        // Note: TryAddEnumerable so that calling AddFuncSessions twice does not create the tables twice.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, StartupInitializer>());
        return services;
    }

    private static OptionsBuilder<TOptions> Bind<TOptions>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
}
