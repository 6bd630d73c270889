using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Email;

/// <summary>
/// The Functions queue trigger's side of delivery, with <see cref="MailDispatcher"/>, the handler the self-host's
/// <see cref="MailQueueWorker"/> runs. The host owns the retries: a failure throws, the host makes the message visible
/// again after host.json's <c>visibilityTimeout</c> and, after <c>maxDequeueCount</c> tries, moves it to
/// <c>{queue}-poison</c>. The host logs that move as an ordinary failure, so the audit event is written here.
/// </summary>
public sealed class MailQueueTriggerHandler(MailDispatcher dispatcher, MailQueue queue, IOptions<EmailOptions> options, ILogger<MailQueueTriggerHandler> logger)
{
    /// <summary>host.json's <c>extensions.queues.visibilityTimeout</c>, the host's fixed delay between tries; a test keeps the two equal.</summary>
    public static readonly TimeSpan HostRetryDelay = TimeSpan.FromSeconds(30);

    public async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (MailQueue.Deserialize(message.Body.ToString()) is not { } request)
        {
            // Note: it can never succeed, so it skips the retries, as in the self-host; returning lets the host delete it.
            await queue.Poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
            logger.MailPoisoned(new InvalidDataException("The message is not a mail request."), message.MessageId, message.DequeueCount);
            return;
        }

        try
        {
            await dispatcher.HandleAsync(request, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Note: host.json's maxDequeueCount is kept equal to MaxDeliveryAttempts (a test checks the defaults), so
            // this is the host's last try exactly when it is ours.
            var max = options.Value.MaxDeliveryAttempts;
            if (message.DequeueCount >= max)
            {
                logger.MailPoisoned(e, message.MessageId, message.DequeueCount);
            }
            else
            {
                logger.MailDeliveryFailed(e, message.DequeueCount, max, message.MessageId, HostRetryDelay);
            }

            throw;
        }
    }
}
