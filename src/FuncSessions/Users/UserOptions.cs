namespace FuncSessions.Users;

/// <summary>Account settings. Bound from <c>FuncSessions:Users</c>.</summary>
public sealed class UserOptions
{
    public const string SectionName = "FuncSessions:Users";

    /// <summary>Whether <c>POST /api/auth/register</c> is open. Default true; turn off to add users with the CLI only.</summary>
    public bool AllowRegistration { get; set; } = true;
}
