using FuncSessions.Validation;
using FuncSessions.Validation.Functions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Azure.Functions.Worker;

public static class FuncSessionsFunctionsBuilderExtensions
{
    /// <summary>
    /// Verifies FuncSessions access tokens on every HTTP invocation: in Program.cs,
    /// <c>builder.UseFuncSessionsAuthentication(o => o.Authority = new Uri("https://auth.example.com"))</c>.
    /// </summary>
    public static IFunctionsWorkerApplicationBuilder UseFuncSessionsAuthentication(
        this IFunctionsWorkerApplicationBuilder builder, Action<FuncSessionsVerifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddFuncSessionsVerifier(configure);
        return builder.UseMiddleware<FuncSessionsFunctionsMiddleware>();
    }
}
