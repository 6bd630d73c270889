using FuncSessions.Http;
using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using FuncSessions.Throttling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Email;

/// <summary>
/// The email flows: ask for a link (verification, password reset, email change) and use one. Asking only enqueues a
/// message, the same one whether or not the address has an account, and always answers 202 (ASVS 6.3.8): the mail
/// worker finds the account. Every request for a mail, and every refused link, counts against the client address.
/// </summary>
public sealed class EmailEndpoints(
    RequestGuards guards,
    StepUp stepUp,
    JsonRequestReader reader,
    TokenDelivery tokens,
    EmailPolicy policy,
    EmailAccounts accounts,
    MailQueue mail,
    SessionRevocation revocation,
    ClientThrottle clientThrottle,
    ILogger<EmailEndpoints> logger)
{
    public Task<IResult> RequestVerificationAsync(HttpContext context) => RequestLinkAsync(context, MailKind.VerifyEmail);

    public Task<IResult> RequestPasswordResetAsync(HttpContext context) => RequestLinkAsync(context, MailKind.ResetPassword);

    public Task<IResult> VerifyAsync(HttpContext context) => UseLinkAsync(context, async (body, client, ct) =>
        await accounts.VerifyAsync(body.Token, ct) ? TypedResults.NoContent() : await RefusedAsync(context, client, ct));

    public Task<IResult> ConfirmEmailChangeAsync(HttpContext context) => UseLinkAsync(context, async (body, client, ct) =>
        await accounts.ConfirmChangeAsync(body.Token, ct) switch
        {
            EmailChangeOutcome.Changed => TypedResults.NoContent(),
            EmailChangeOutcome.Taken => Problems.EmailTaken(),
            EmailChangeOutcome.Conflict => Problems.EmailChangeConflict(),
            _ => await RefusedAsync(context, client, ct),
        });

    /// <summary>
    /// Sets a new password from a reset link, revokes every session of the user (ASVS 7.4.3) and sends a notice. The
    /// caller is not signed in: it logs in with the new password.
    /// </summary>
    public Task<IResult> ResetPasswordAsync(HttpContext context) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        if (!policy.Enabled)
        {
            return Problems.EmailDisabled();
        }

        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.ResetPasswordRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.Token))
        {
            return Problems.MissingField("token");
        }

        if (string.IsNullOrEmpty(body.NewPassword))
        {
            return Problems.MissingField("newPassword");
        }

        if (body.NewPassword.Length > CredentialChecks.PasswordLimit)
        {
            return Problems.WeakPassword("password_too_long", "The password is too long.");
        }

        var (outcome, user, weak) = await accounts.ResetPasswordAsync(body.Token, body.NewPassword, ct);
        switch (outcome)
        {
            case PasswordResetOutcome.InvalidLink:
                return await RefusedAsync(context, client, ct);
            case PasswordResetOutcome.WeakPassword:
                return Problems.WeakPassword(weak!.Value.Code, weak.Value.Detail);
            case PasswordResetOutcome.Conflict:
                return Problems.PasswordChangeConflict();
        }

        await revocation.RevokeAllAsync(user!.UserId, keepSessionId: null, ct);
        await mail.EnqueueAsync(new MailRequest(MailKind.PasswordChanged, UserKey: user.Key), ct);
        tokens.ExpireCookies(context.Response);
        return TypedResults.NoContent();
    });

    /// <summary>
    /// Asks for a link to a new address, and a notice to the current one. Needs a recent login (ASVS 7.5.1); the address
    /// changes only when the link is used, so a stolen session alone cannot move the account.
    /// </summary>
    public Task<IResult> RequestEmailChangeAsync(HttpContext context) => guards.AuthenticatedAsync(context, async (current, ct) =>
    {
        if (!policy.Enabled)
        {
            return Problems.EmailDisabled();
        }

        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.ChangeEmailRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (EmailAddresses.Clean(body!.NewEmail) is not { } newEmail)
        {
            return string.IsNullOrEmpty(body.NewEmail) ? Problems.MissingField("newEmail") : Problems.InvalidEmail();
        }

        if (!await stepUp.SatisfiedAsync(current, ct))
        {
            return Problems.ReauthenticationRequired();
        }

        await mail.EnqueueAsync(new MailRequest(MailKind.ConfirmEmailChange, UserKey: current.UserKey, NewEmail: newEmail), ct);
        await mail.EnqueueAsync(new MailRequest(MailKind.EmailChangeRequested, UserKey: current.UserKey, NewEmail: newEmail), ct);
        return TypedResults.Accepted((string?)null);
    });

    private Task<IResult> RequestLinkAsync(HttpContext context, MailKind kind) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        if (!policy.Enabled)
        {
            return Problems.EmailDisabled();
        }

        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.EmailRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (EmailAddresses.Clean(body!.Email) is not { } email)
        {
            return string.IsNullOrEmpty(body.Email) ? Problems.MissingField("email") : Problems.InvalidEmail();
        }

        // Note: the same two calls for every address, known or not: a strike for the client, one enqueue.
        await clientThrottle.StrikeAsync(client.IpAddress, ct);
        await mail.EnqueueAsync(new MailRequest(kind, Email: email), ct);
        return TypedResults.Accepted((string?)null);
    });

    private Task<IResult> UseLinkAsync(HttpContext context, Func<TokenRequest, ClientInfo, CancellationToken, Task<IResult>> use) =>
        guards.ThrottledAsync(context, async (client, ct) =>
        {
            if (!policy.Enabled)
            {
                return Problems.EmailDisabled();
            }

            var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.TokenRequest);
            if (problem is not null)
            {
                return problem;
            }

            return string.IsNullOrEmpty(body!.Token) ? Problems.MissingField("token") : await use(body, client, ct);
        });

    // Note: one answer for unknown, used, expired and superseded links, so none can be told from another.
    private async Task<IResult> RefusedAsync(HttpContext context, ClientInfo client, CancellationToken cancellationToken)
    {
        logger.LinkRejected(context.Request.Path.Value ?? "", client.IpAddress, client.UserAgent);
        await clientThrottle.StrikeAsync(client.IpAddress, cancellationToken);
        return Problems.InvalidLink();
    }
}
