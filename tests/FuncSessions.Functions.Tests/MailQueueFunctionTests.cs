using System.Text.RegularExpressions;
using Azure.Storage.Queues.Models;
using FuncSessions.Email;
using FuncSessions.Functions.Tests.Infrastructure;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Functions.Tests;

/// <summary>
/// The queue-triggered function, invoked as the worker invokes it (the method functions.metadata names) with real
/// messages received from Azurite's queue, sends through a real SMTP server; the HTTP functions complete the flows.
/// </summary>
public sealed partial class MailQueueFunctionTests(RunningFunctionsApp app) : IClassFixture<RunningFunctionsApp>
{
    private const string Password = "correct horse battery staple";
    private const string NewPassword = "a different long passphrase";

    [Fact]
    public async Task Forgot_password_through_the_functions_a_queued_message_the_queue_function_and_the_mail_sets_the_new_password()
    {
        var email = $"fn.{Guid.NewGuid():N}@example.test";
        var register = await Call("Register", AuthRoutes.Register, $$"""{"email":"{{email}}","password":"{{Password}}"}""");
        Assert.Equal(StatusCodes.Status202Accepted, register.Status);
        await RunQueueFunctionAsync(await NextMessageAsync());
        var verify = await Call("VerifyEmail", AuthRoutes.EmailVerify, $$"""{"token":"{{await LinkTokenAsync(email, "verify-email")}}"}""");
        Assert.Equal(StatusCodes.Status204NoContent, verify.Status);

        var request = await Call("RequestPasswordReset", AuthRoutes.PasswordResetRequest, $$"""{"email":"{{email}}"}""");
        Assert.Equal(StatusCodes.Status202Accepted, request.Status);
        await RunQueueFunctionAsync(await NextMessageAsync());
        var token = await LinkTokenAsync(email, "reset-password");
        var reset = await Call("ResetPassword", AuthRoutes.PasswordReset, $$"""{"token":"{{token}}","newPassword":"{{NewPassword}}"}""");
        Assert.Equal(StatusCodes.Status204NoContent, reset.Status);

        Assert.Equal(StatusCodes.Status200OK, (await Call("Login", AuthRoutes.Login, $$"""{"email":"{{email}}","password":"{{NewPassword}}"}""")).Status);
        Assert.NotEqual(StatusCodes.Status200OK, (await Call("Login", AuthRoutes.Login, $$"""{"email":"{{email}}","password":"{{Password}}"}""")).Status);
    }

    [Fact]
    public async Task With_SMTP_down_each_try_throws_for_the_host_to_retry_and_the_last_one_writes_the_poison_audit_event()
    {
        var email = $"fn.{Guid.NewGuid():N}@example.test";
        await Call("Register", AuthRoutes.Register, $$"""{"email":"{{email}}","password":"{{Password}}"}""");
        var queued = await NextMessageAsync();
        var max = new EmailOptions().MaxDeliveryAttempts;
        var logs = new LogCapture();
        await app.Smtp.StopAsync();
        try
        {
            var message = queued;
            for (var attempt = 1; attempt <= max; attempt++)
            {
                Assert.Equal(attempt, message.DequeueCount);
                await Assert.ThrowsAnyAsync<Exception>(() => RunQueueFunctionAsync(message, logs));
                // Note: what the host does after a failed try, without its visibilityTimeout wait.
                await Queue.Messages.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                message = attempt < max ? await NextMessageAsync() : message;
            }
        }
        finally
        {
            await app.Smtp.RestartAsync();
        }

        Assert.Equal(max - 1, logs.Entries.Count(e => e.EventId.Name == "MailDeliveryFailed"));
        var poisoned = Assert.Single(logs.Entries, e => e.EventId.Name == "MailPoisoned");
        Assert.Contains($"after {max} failed attempts", poisoned.Text, StringComparison.Ordinal);
        // Note: the host would now move it to the poison queue; here it is only cleared away.
        var left = await NextMessageAsync();
        await Queue.Messages.DeleteMessageAsync(left.MessageId, left.PopReceipt);
    }

    [Fact]
    public async Task A_message_that_is_no_mail_request_goes_to_the_poison_queue_at_once_with_the_audit_event()
    {
        await Queue.Messages.SendMessageAsync("not a mail request");
        var logs = new LogCapture();

        await RunQueueFunctionAsync(await NextMessageAsync(), logs);

        var parked = (await Queue.Poison.ReceiveMessagesAsync(32)).Value;
        Assert.Contains(parked, m => m.Body.ToString() == "not a mail request");
        Assert.Single(logs.Entries, e => e.EventId.Name == "MailPoisoned");
    }

    private MailQueue Queue => app.Services.GetRequiredService<MailQueue>();

    /// <summary>Invokes the method functions.metadata names for the queue trigger, on an instance from a DI scope.</summary>
    private async Task RunQueueFunctionAsync(QueueMessage message, LogCapture? logs = null)
    {
        var function = FunctionCatalog.Named(MailQueueFunction.Name);
        await using var scope = app.Services.CreateAsyncScope();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs ?? new LogCapture()));
        var handler = ActivatorUtilities.CreateInstance<MailQueueTriggerHandler>(scope.ServiceProvider, loggers.CreateLogger<MailQueueTriggerHandler>());
        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!, handler);
        try
        {
            await (Task)function.Method.Invoke(instance, [message, CancellationToken.None])!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }

        // Note: a try that returned is one the host completes, deleting the message.
        await Queue.Messages.DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }

    private async Task<QueueMessage> NextMessageAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var messages = (await Queue.Messages.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1))).Value;
            if (messages.Length == 1)
            {
                return messages[0];
            }

            Assert.True(DateTime.UtcNow < deadline, "No message on the mail queue.");
            await Task.Delay(100);
        }
    }

    private async Task<string> LinkTokenAsync(string email, string action)
    {
        var mail = await app.Smtp.WaitForMailAsync(email, m => m.Text.Contains("#action=" + action, StringComparison.Ordinal));
        var link = LinkPattern().Match(mail.Text);
        Assert.True(link.Success, "No link in: " + mail.Text);
        Assert.Equal(action, link.Groups["action"].Value);
        return link.Groups["token"].Value;
    }

    private Task<FunctionResponse> Call(string function, string template, string json) =>
        app.InvokeAsync(FunctionCatalog.Named(function), RunningFunctionsApp.Request(HttpMethods.Post, "/api/" + template, json));

    [GeneratedRegex(@"https://app\.funcsessions\.test/#action=(?<action>[a-z-]+)&token=(?<token>[A-Za-z0-9_.-]+)")]
    private static partial Regex LinkPattern();
}
