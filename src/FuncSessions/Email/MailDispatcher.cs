using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Email;

/// <summary>
/// The one mail handler, run by the self-host's queue worker and by the Functions queue trigger: finds the account,
/// mints the link's token when the mail has one, renders and sends. A failure throws, and the caller retries the message;
/// each retry mints a fresh token, superseding the one in any mail that did go out (see docs/security.md, "Email").
/// </summary>
public sealed class MailDispatcher(
    IUserStore users,
    OneTimeTokens tokens,
    MailTemplates templates,
    SmtpMailSender sender,
    IOptions<EmailOptions> options,
    IOptions<PasswordOptions> passwordOptions,
    LogHash logHash,
    ILogger<MailDispatcher> logger)
{
    public async Task HandleAsync(MailRequest request, CancellationToken cancellationToken)
    {
        var user = request.UserKey is { } key
            ? await users.FindByKeyAsync(key, cancellationToken)
            : EmailAddresses.Clean(request.Email) is { } email ? await users.FindByEmailAsync(EmailAddresses.Normalize(email), cancellationToken) : null;
        if (await RenderAsync(request, user, cancellationToken) is not { } mail)
        {
            // Note: an unknown address, an address verified meanwhile, an account gone: nothing to send, and the
            // request that queued it answered the same 202 either way.
            logger.MailSkipped(request.Kind.ToString(), user is null ? null : logHash.Of(user.UserId));
            return;
        }

        var fromName = options.Value.FromName is { Length: > 0 } name ? name : passwordOptions.Value.ServiceName;
        await sender.SendAsync(mail, fromName, cancellationToken);
        logger.MailSent(request.Kind.ToString(), logHash.Of(user!.UserId));
    }

    private async Task<RenderedMail?> RenderAsync(MailRequest request, UserAccount? user, CancellationToken cancellationToken)
    {
        switch (request.Kind)
        {
            case MailKind.VerifyEmail when user is { Email: { } email, EmailVerified: false }:
                return await WithLinkAsync(request.Kind, user, OneTimeTokenKind.VerifyEmail, email, "verify-email", options.Value.VerificationLinkLifetime, cancellationToken);
            case MailKind.ResetPassword when user is { Email: { } email }:
                return await WithLinkAsync(request.Kind, user, OneTimeTokenKind.ResetPassword, email, "reset-password", options.Value.PasswordResetLinkLifetime, cancellationToken);
            case MailKind.ConfirmEmailChange when user is not null && EmailAddresses.Clean(request.NewEmail) is { } newEmail:
                return await WithLinkAsync(request.Kind, user, OneTimeTokenKind.ChangeEmail, newEmail, "confirm-email-change", options.Value.EmailChangeLinkLifetime, cancellationToken);
            case MailKind.EmailChangeRequested when user is { Email: { } email } && EmailAddresses.Clean(request.NewEmail) is { } newEmail:
                return templates.Render(request.Kind, email, newEmail, link: null, validFor: null);
            case MailKind.PasswordChanged when user is { Email: { } email }:
                return templates.Render(request.Kind, email, email, link: null, validFor: null);
            default:
                return null;
        }
    }

    private async Task<RenderedMail> WithLinkAsync(
        MailKind kind, UserAccount user, OneTimeTokenKind tokenKind, string to, string action, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var token = await tokens.IssueAsync(user, tokenKind, to, cancellationToken);
        // Note: a fragment, never a query string: browsers send neither to servers, so the token stays out of every
        // server log and every Referer header.
        var link = $"{options.Value.LinkBaseUrl}#action={action}&token={token.Value}";
        return templates.Render(kind, to, to, link, validFor);
    }
}
