using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Throttling;

/// <summary>Brute-force defence (NIST 800-63B-4 §3.2.2, ASVS 6.1.1 / 6.3.1). Bound from <c>FuncSessions:Throttling</c>.</summary>
public sealed class ThrottleOptions
{
    public const string SectionName = "FuncSessions:Throttling";

    /// <summary>
    /// Consecutive failed logins after which an account (existing or not) is locked for <see cref="AccountLockout"/>.
    /// From half this number on, each failure makes the next attempt wait 1, 2, 4, … seconds. Default 10 (NIST: at most 100).
    /// </summary>
    [Range(2, 100)]
    public int AccountFailureLimit { get; set; } = 10;

    /// <summary>
    /// Cool-down after the limit is reached. Each further failure locks the account again for this long; a success
    /// clears the count. Default 15 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccountLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long an account's failures are remembered after the last one: a count older than this starts again, and the
    /// sweep deletes the row. Default 1 day. Not shorter than 4 hours: an attacker who waits this long between bursts
    /// gets fewer guesses per day than one who keeps guessing through the lockouts (at most one per
    /// <see cref="AccountLockout"/>), so forgetting never widens the budget.
    /// </summary>
    [Range(typeof(TimeSpan), "04:00:00", "365.00:00:00", ErrorMessage = "FuncSessions:Throttling:AccountFailureMemory must be between {1} and {2}.")]
    public TimeSpan AccountFailureMemory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Failed guesses one client address may make per <see cref="ClientWindow"/> before it gets 429 until the window
    /// ends: wrong passwords at login and refreshes presenting an unknown token. Successful logins and
    /// refreshes, and refreshes presenting no token, do not count. Default 100.
    /// </summary>
    [Range(5, 1_000_000, ErrorMessage = "FuncSessions:Throttling:ClientLimit must be between {1} and {2}.")]
    public int ClientLimit { get; set; } = 100;

    /// <summary>
    /// Registrations one client address may make per <see cref="ClientWindow"/>, a budget apart from
    /// <see cref="ClientLimit"/>, so sign-ups never lock an address out of login. Default 100.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "FuncSessions:Throttling:RegistrationsPerClientWindow must be between {1} and {2}.")]
    public int RegistrationsPerClientWindow { get; set; } = 100;

    /// <summary>The fixed window <see cref="ClientLimit"/> and <see cref="RegistrationsPerClientWindow"/> count in. Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ClientWindow { get; set; } = TimeSpan.FromMinutes(15);
}
