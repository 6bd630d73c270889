using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Sessions;

/// <summary>Lifetimes of server-side sessions. Bound from <c>FuncSessions:Sessions</c>.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "FuncSessions:Sessions";

    /// <summary>
    /// A session not refreshed for this long is dead. Default 7 days (NIST 800-63B-4 AAL1 needs none;
    /// use 1 hour for AAL2). Activity is a successful refresh, which happens at least once per access-token lifetime.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Hard cap counted from login; never slides. Default 30 days (NIST AAL1 "SHOULD be ≤ 30 days").
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long the immediate parent of the current refresh token may still be presented (e.g. by a second tab
    /// that raced the first) and receive the same successor instead of revoking the session. Default 10 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RefreshGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many spent refresh-token hashes a session remembers for reuse detection. Default 10.</summary>
    [Range(2, 32)]
    public int SpentTokenHistory { get; set; } = 10;

    /// <summary>
    /// Largest session data in bytes of compact UTF-8 JSON. Default 2048, which is also the upper bound: the data
    /// travels in every access token, and the access-token cookie must stay under the browsers' 4096-byte limit.
    /// </summary>
    [Range(0, 2048)]
    public int MaxDataBytes { get; set; } = 2048;

    /// <summary>
    /// Comma-separated session-data keys the client may change with <c>PATCH /api/auth/session</c> (e.g.
    /// <c>theme,locale</c>). Every other key is set only by the server (an <see cref="ISessionClaimsProvider"/> at
    /// login), so APIs can trust it. Default none: clients cannot change session data.
    /// </summary>
    public string ClientWritableDataKeys { get; set; } = "";

    /// <summary>
    /// Ending another session (<c>DELETE sessions/{id}</c> for a session not the caller's) or all of them
    /// (<c>logout-all</c>) needs a session that started with a password (login or password change) at most this long
    /// ago (ASVS 7.5.2); otherwise 403 <c>reauthentication_required</c>. Default 15 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ReauthenticationWindow { get; set; } = TimeSpan.FromMinutes(15);
}
