using System.Text.Json;
using System.Text.Json.Serialization;

namespace FuncSessions.Email;

/// <summary>Which mail a queue message asks for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MailKind>))]
public enum MailKind
{
    /// <summary>A link that verifies the account's address (by <see cref="MailRequest.Email"/>).</summary>
    VerifyEmail,

    /// <summary>A password-reset link (by <see cref="MailRequest.Email"/>; nothing is sent for an unknown address).</summary>
    ResetPassword,

    /// <summary>A link to the new address (<see cref="MailRequest.NewEmail"/>) that confirms an email change.</summary>
    ConfirmEmailChange,

    /// <summary>A notice to the current address that a change to another was asked for.</summary>
    EmailChangeRequested,

    /// <summary>A notice to the account's address that its password was reset.</summary>
    PasswordChanged,
}

/// <summary>
/// One queue message. It never holds a token: the worker mints the token when it sends the mail (so a link's lifetime
/// starts when the mail leaves, not when it was queued), and an unknown address costs the request exactly what a known
/// one does: one enqueue.
/// </summary>
/// <param name="UserKey">The account's row (<see cref="Users.UserAccount.Key"/>), for mails about a known account.</param>
public sealed record MailRequest(MailKind Kind, string? Email = null, string? UserKey = null, string? NewEmail = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MailRequest))]
public sealed partial class MailJsonContext : JsonSerializerContext;
