using Azure.Storage.Queues.Models;
using FuncSessions.Email;
using Microsoft.Azure.Functions.Worker;

namespace FuncSessions.Functions;

/// <summary>
/// Sends the mail of each message on the queue named by the <c>FuncSessionsMailQueue</c> app setting (the one the app
/// enqueues on); retries and the poison queue are the host's (host.json <c>extensions.queues</c>).
/// </summary>
public sealed class MailQueueFunction(MailQueueTriggerHandler handler)
{
    public const string Name = "SendMail";

    /// <summary>The storage connection the trigger listens on: the app's own, <c>FuncSessions:Storage:Connection</c>.</summary>
    public const string Connection = "AzureWebJobsStorage";

    [Function(Name)]
    public Task Run(
        [QueueTrigger("%" + EmailOptions.QueueSettingName + "%", Connection = Connection)] QueueMessage message, CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
