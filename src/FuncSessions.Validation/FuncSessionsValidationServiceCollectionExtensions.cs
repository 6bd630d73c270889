using FuncSessions.Validation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class FuncSessionsValidationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>FuncSessions</c> authentication scheme: requests with a valid FuncSessions access token (bearer
    /// header or <c>__Host-fs-at</c> cookie) are authenticated as a <see cref="FuncSessionsIdentity"/>.
    /// </summary>
    public static AuthenticationBuilder AddFuncSessionsBearer(this AuthenticationBuilder builder, Action<FuncSessionsBearerOptions> configure) =>
        builder.AddFuncSessionsBearer(FuncSessionsBearerDefaults.AuthenticationScheme, configure);

    public static AuthenticationBuilder AddFuncSessionsBearer(
        this AuthenticationBuilder builder, string authenticationScheme, Action<FuncSessionsBearerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        builder.Services.AddHttpClient(FuncSessionsBearerDefaults.HttpClientName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FuncSessionsBearerOptions>, FuncSessionsOptionsValidation>());
        builder.Services.AddOptions<FuncSessionsBearerOptions>(authenticationScheme).ValidateOnStart();
        // Note: one verifier per scheme, so its key cache and strict-mode cache live as long as the app.
        builder.Services.TryAddKeyedSingleton(authenticationScheme, (services, _) => CreateVerifier(
            services, services.GetRequiredService<IOptionsMonitor<FuncSessionsBearerOptions>>().Get(authenticationScheme).Verifier));
        return builder.AddScheme<FuncSessionsBearerOptions, FuncSessionsBearerHandler>(authenticationScheme, configure);
    }

    /// <summary>
    /// Registers a <see cref="FuncSessionsTokenVerifier"/> singleton for hosts that are not ASP.NET Core authentication
    /// (e.g. an Azure Functions middleware): call <c>VerifyAsync(FuncSessionsTokenReader.Read(...))</c>.
    /// </summary>
    public static IServiceCollection AddFuncSessionsVerifier(this IServiceCollection services, Action<FuncSessionsVerifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddHttpClient(FuncSessionsBearerDefaults.HttpClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FuncSessionsVerifierOptions>, FuncSessionsOptionsValidation>());
        services.AddOptions<FuncSessionsVerifierOptions>().Configure(configure).ValidateOnStart();
        services.TryAddSingleton(provider => CreateVerifier(provider, provider.GetRequiredService<IOptions<FuncSessionsVerifierOptions>>().Value));
        return services;
    }

    private static FuncSessionsTokenVerifier CreateVerifier(IServiceProvider services, FuncSessionsVerifierOptions options)
    {
        var clients = services.GetRequiredService<IHttpClientFactory>();
        return new FuncSessionsTokenVerifier(
            options,
            () => clients.CreateClient(FuncSessionsBearerDefaults.HttpClientName),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILogger<FuncSessionsTokenVerifier>>());
    }
}
