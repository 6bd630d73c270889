using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Email;

/// <summary>
/// The self-host's mail worker: polls the queue and hands each message to <see cref="MailDispatcher"/>, as the Functions
/// queue trigger does. A failed message becomes visible again after a backoff that doubles per attempt (at most 10
/// minutes); after <see cref="EmailOptions.MaxDeliveryAttempts"/> it moves to the poison queue with an audit event.
/// A message is deleted only after its mail was sent, so nothing is lost while SMTP is down (at-least-once).
/// </summary>
public sealed class MailQueueWorker(
    MailQueue queue, MailDispatcher dispatcher, EmailPolicy policy, IOptions<EmailOptions> options, ILogger<MailQueueWorker> logger)
    : BackgroundService
{
    // Note: pacing uses the wall clock, not the injected TimeProvider: it is how often the queue is asked, not a
    // deadline, and the retry backoff itself is the queue's visibility timeout, which storage keeps.
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(10);

    // Note: longer than one delivery can take (connect and send time out after 30 s each), so a message being sent
    // does not reappear for another worker meanwhile.
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!policy.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                QueueMessage[] messages = await queue.Messages.ReceiveMessagesAsync(16, Lease, stoppingToken);
                foreach (var message in messages)
                {
                    await DeliverAsync(message, stoppingToken);
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
            {
                // Note: the queue itself is unreachable; messages stay where they are until it is back.
                logger.MailDeliveryFailed(e, 0, options.Value.MaxDeliveryAttempts, "(receive)", options.Value.PollInterval);
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            var request = MailQueue.Deserialize(message.Body.ToString()) ?? throw new InvalidDataException("The message is not a mail request.");
            await dispatcher.HandleAsync(request, stoppingToken);
            await queue.Messages.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            var max = options.Value.MaxDeliveryAttempts;
            if (message.DequeueCount >= max || e is InvalidDataException)
            {
                await queue.Poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
                await queue.Messages.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                logger.MailPoisoned(e, message.MessageId, message.DequeueCount);
                return;
            }

            var delay = options.Value.RetryDelay * Math.Pow(2, Math.Min(message.DequeueCount - 1, 20));
            delay = delay < MaxRetryDelay ? delay : MaxRetryDelay;
            await queue.Messages.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: delay, cancellationToken: stoppingToken);
            logger.MailDeliveryFailed(e, message.DequeueCount, max, message.MessageId, delay);
        }
    }
}
