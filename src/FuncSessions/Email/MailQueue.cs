using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FuncSessions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FuncSessions.Email;

/// <summary>
/// The mail queue and its poison queue (<c>{name}-poison</c>, the name the Functions host uses), on the same storage
/// connection as the tables. Messages are base64-encoded JSON, the encoding the Functions queue trigger expects by default.
/// </summary>
public sealed class MailQueue
{
    public MailQueue(IConfiguration configuration, IOptions<StorageOptions> storage, IOptions<MailQueueOptions> options, StorageCallCounter counter)
    {
        // Note: the service version is pinned to one Azurite (the local emulator, pinned in package.json) also speaks;
        // the SDK's newest default is refused there. Azure serves every version.
        var clientOptions = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 };
        // Note: bounded retries, as for the tables: an outage turns into a 503 within seconds instead of a hung request.
        clientOptions.Retry.MaxRetries = 3;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        clientOptions.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var service = StorageConnection.Resolve(configuration, storage.Value.Connection, "queue") switch
        {
            { ConnectionString: { } connectionString } => new QueueServiceClient(connectionString, clientOptions),
            var identity => new QueueServiceClient(identity.Endpoint!, identity.Credential!, clientOptions),
        };
        var name = options.Value.QueueName(storage.Value);
        Messages = service.GetQueueClient(name);
        Poison = service.GetQueueClient(name + "-poison");
    }

    public QueueClient Messages { get; }

    public QueueClient Poison { get; }

    public Task CreateIfMissingAsync(CancellationToken cancellationToken) => Task.WhenAll(
        Messages.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
        Poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken));

    public Task EnqueueAsync(MailRequest request, CancellationToken cancellationToken) =>
        Messages.SendMessageAsync(Serialize(request), cancellationToken);

    public static string Serialize(MailRequest request) => JsonSerializer.Serialize(request, MailJsonContext.Default.MailRequest);

    /// <summary>The request in a message body, or null when it is not one (it can never succeed: straight to poison).</summary>
    public static MailRequest? Deserialize(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, MailJsonContext.Default.MailRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
