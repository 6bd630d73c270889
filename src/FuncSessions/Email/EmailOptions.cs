using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Email;

/// <summary>Addresses, links and mail delivery. Bound from <c>FuncSessions:Email</c>; the SMTP server is <see cref="SmtpOptions"/>.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "FuncSessions:Email";

    /// <summary>
    /// Name of the flat app setting holding the mail queue's name. The Functions queue trigger resolves it as
    /// <c>%FuncSessionsMailQueue%</c>, so the self-host reads the very same setting.
    /// </summary>
    public const string QueueSettingName = "FuncSessionsMailQueue";

    /// <summary>
    /// The static site's page that completes the flows, e.g. <c>https://app.example.com/</c>. Links are this URL plus a
    /// fragment (<c>#action=reset-password&amp;token=…</c>), so the token never reaches a server log or a Referer. Required once
    /// an SMTP host is set.
    /// </summary>
    // Note: no [Url]: it refuses the empty default, which must stay valid while email is off; start-up validation checks it.
    public string LinkBaseUrl { get; set; } = "";

    /// <summary>The From address of every mail. Required once an SMTP host is set.</summary>
    public string FromAddress { get; set; } = "";

    /// <summary>The From display name. Default: the service name (<c>FuncSessions:Passwords:ServiceName</c>).</summary>
    [StringLength(64)]
    public string FromName { get; set; } = "";

    /// <summary>How long a verification link works. Default 24 hours (5 minutes to 7 days).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan VerificationLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a password-reset link works. Default 30 minutes (5 minutes to 24 hours).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan PasswordResetLinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an email-change confirmation link works. Default 1 hour (5 minutes to 24 hours).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan EmailChangeLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A folder with template files that replace the built-in ones (<c>{kind}.subject.txt</c>, <c>{kind}.txt</c>,
    /// <c>{kind}.html</c>; see docs/security.md). Default none.
    /// </summary>
    public string TemplateFolder { get; set; } = "";

    /// <summary>
    /// Delivery attempts before a message goes to the poison queue. Default 5. The Functions host counts with
    /// <c>extensions.queues.maxDequeueCount</c> in host.json instead: keep the two equal.
    /// </summary>
    [Range(1, 100)]
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Self-host: delay before the first retry; each further retry waits twice as long (at most 10 minutes). Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Self-host: how long the worker waits when the queue is empty. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
