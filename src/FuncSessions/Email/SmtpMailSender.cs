using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FuncSessions.Email;

/// <summary>Sends one rendered mail over SMTP (MailKit): a fresh connection per mail, so a broken one never lingers.</summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> smtp, IOptions<EmailOptions> email)
{
    public async Task SendAsync(RenderedMail mail, string fromName, CancellationToken cancellationToken)
    {
        var settings = smtp.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(fromName, email.Value.FromAddress));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(settings.Host, settings.Port, settings.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        }, cancellationToken);
        if (settings.User.Length > 0)
        {
            await client.AuthenticateAsync(settings.User, settings.Password, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
