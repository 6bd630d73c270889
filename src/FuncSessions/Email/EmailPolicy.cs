using FuncSessions.Users;
using Microsoft.Extensions.Options;

namespace FuncSessions.Email;

/// <summary>Whether email is switched on (an SMTP host is set), and whether an unverified address keeps its account out.</summary>
public sealed class EmailPolicy(IOptions<SmtpOptions> smtp, IOptions<UserOptions> users)
{
    public bool Enabled => smtp.Value.IsConfigured;

    /// <summary><c>FuncSessions:Users:RequireVerifiedEmail</c>, by default true exactly when email is switched on.</summary>
    public bool RequireVerifiedEmail => users.Value.RequireVerifiedEmail ?? Enabled;

    /// <summary>Whether this account may not log in yet: it has an address, and it was never verified.</summary>
    public bool BlocksLogin(UserAccount user) => RequireVerifiedEmail && user.Email is not null && !user.EmailVerified;
}
