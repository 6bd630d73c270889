using FuncSessions.Email;
using FuncSessions.Storage;
using FuncSessions.Tokens;
using Microsoft.Extensions.Hosting;

namespace FuncSessions;

/// <summary>
/// Loads the signing keys and creates missing tables and queues when the host starts, so that a misconfiguration stops
/// start-up instead of failing the first request.
/// </summary>
public sealed class StartupInitializer(SigningKeyRing keys, TableClients tables, MailQueue mail, EmailPolicy email) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = keys.Keys;
        // Note: the queues only with email on, when something enqueues: without it the app needs no queue service at all
        // (a tables-only connection string, as Azurite's table service alone gives, keeps working). Tables and queues at
        // once, since start-up waits for both.
        await Task.WhenAll(
            tables.CreateTablesIfMissingAsync(cancellationToken),
            email.Enabled ? mail.CreateIfMissingAsync(cancellationToken) : Task.CompletedTask);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
