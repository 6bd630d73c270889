namespace FuncSessions.Users;

/// <summary>Account settings. Bound from <c>FuncSessions:Users</c>.</summary>
public sealed class UserOptions
{
    public const string SectionName = "FuncSessions:Users";

    /// <summary>Whether <c>POST /api/auth/register</c> is open. Default true; turn off to add users with the CLI only.</summary>
    public bool AllowRegistration { get; set; } = true;

    /// <summary>
    /// Whether an account whose address was never verified is refused at login (403 <c>email_not_verified</c>, only after
    /// the right password). Unset (default): true when an SMTP host is configured, else false. Accounts without an
    /// address are never affected.
    /// </summary>
    public bool? RequireVerifiedEmail { get; set; }
}
