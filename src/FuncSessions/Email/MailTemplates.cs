using System.Collections.Concurrent;
using System.Net;
using FuncSessions.Passwords;
using Microsoft.Extensions.Options;

namespace FuncSessions.Email;

/// <summary>A mail ready to send.</summary>
public sealed record RenderedMail(string To, string Subject, string Text, string Html);

/// <summary>
/// Renders the built-in templates (Email/Templates), or the files of the same name in
/// <see cref="EmailOptions.TemplateFolder"/>, replacing <c>{{serviceName}}</c>, <c>{{email}}</c>, <c>{{link}}</c> and
/// <c>{{validFor}}</c>. Values are HTML-encoded in the HTML part.
/// </summary>
public sealed class MailTemplates(IOptions<EmailOptions> options, IOptions<PasswordOptions> passwordOptions)
{
    private readonly ConcurrentDictionary<string, string> _templates = new(StringComparer.Ordinal);

    public RenderedMail Render(MailKind kind, string to, string email, string? link, TimeSpan? validFor)
    {
        var values = new Dictionary<string, string>
        {
            ["serviceName"] = passwordOptions.Value.ServiceName,
            ["email"] = email,
            ["link"] = link ?? "",
            ["validFor"] = validFor is { } span ? Describe(span) : "",
        };
        var name = FileName(kind);
        return new RenderedMail(
            to,
            Fill(Template(name + ".subject.txt"), values, html: false).Trim(),
            Fill(Template(name + ".txt"), values, html: false),
            Fill(Template(name + ".html"), values, html: true));
    }

    public static string FileName(MailKind kind) => kind switch
    {
        MailKind.VerifyEmail => "verify-email",
        MailKind.ResetPassword => "reset-password",
        MailKind.ConfirmEmailChange => "confirm-email-change",
        MailKind.EmailChangeRequested => "email-change-requested",
        _ => "password-changed",
    };

    private static string Fill(string template, Dictionary<string, string> values, bool html) =>
        values.Aggregate(template, (text, value) =>
            text.Replace("{{" + value.Key + "}}", html ? WebUtility.HtmlEncode(value.Value) : value.Value, StringComparison.Ordinal));

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours)
            ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? "" : "s")}"
            : $"{Math.Ceiling(span.TotalMinutes):0} minutes";

    private string Template(string file) => _templates.GetOrAdd(file, f =>
    {
        var folder = options.Value.TemplateFolder;
        if (folder.Length > 0 && File.Exists(Path.Combine(folder, f)))
        {
            return File.ReadAllText(Path.Combine(folder, f));
        }

        using var stream = typeof(MailTemplates).Assembly.GetManifestResourceStream("FuncSessions.Email.Templates." + f)
            ?? throw new InvalidOperationException($"Built-in mail template {f} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
