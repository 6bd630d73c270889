using FuncSessions.Storage;
using FuncSessions.Tokens;
using Microsoft.Extensions.Hosting;

namespace FuncSessions;

/// <summary>
/// Loads the signing keys and creates missing tables when the host starts, so that a misconfiguration stops
/// start-up instead of failing the first request.
/// </summary>
public sealed class StartupInitializer(SigningKeyRing keys, TableClients tables) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = keys.Keys;
        return tables.CreateTablesIfMissingAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
