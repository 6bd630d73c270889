using Microsoft.Extensions.Hosting;

namespace FuncSessions.Storage;

/// <summary>Creates the tables at start-up if they are missing, in both hosts.</summary>
public sealed class TableInitializer(TableClients tables) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => tables.CreateTablesIfMissingAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
