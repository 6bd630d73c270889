using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Email;

/// <summary>The SMTP server mail goes out through. Bound from <c>FuncSessions:Email:Smtp</c>. No host: email is switched off.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "FuncSessions:Email:Smtp";

    /// <summary>
    /// The server, e.g. <c>smtp.azurecomm.net</c> (Azure Communication Services) or <c>smtp.sendgrid.net</c>. Empty
    /// (default): no mail is sent, the email endpoints answer 403 <c>email_disabled</c> and registration takes no address.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9.\-\[\]:]*$", ErrorMessage = "FuncSessions:Email:Smtp:Host must be a host name or an IP address.")]
    public string Host { get; set; } = "";

    /// <summary>Default 587 (submission with STARTTLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>
    /// <see cref="SmtpSecurity.StartTls"/> (default: the server must offer STARTTLS), <see cref="SmtpSecurity.SslOnConnect"/>
    /// (port 465), or <see cref="SmtpSecurity.None"/> (plain text: local mail catchers only).
    /// </summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>User name for SMTP AUTH; empty: no authentication.</summary>
    public string User { get; set; } = "";

    /// <summary>Password for SMTP AUTH; in Azure a Key Vault reference, never a literal app setting.</summary>
    public string Password { get; set; } = "";

    public bool IsConfigured => Host.Length > 0;
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    None,
}
