using FuncSessions.Http;
using FuncSessions.Sessions;

namespace FuncSessions.SecondFactors;

/// <summary>
/// Whether the caller may do a sensitive action now (end other sessions, change the password, change factors): a sign-in
/// within <c>ReauthenticationWindow</c>, and for an account with TOTP on, one that included a second factor (a code, a
/// recovery code or a passkey), so a stolen password alone never reaches these actions.
/// </summary>
public sealed class StepUp(RequestGuards guards, TotpFactor totp)
{
    public async Task<bool> SatisfiedAsync(Session current, CancellationToken cancellationToken) =>
        guards.RecentlyAuthenticated(current)
        && (AuthenticationMethods.IsMultiFactor(current.Amr) || !await totp.IsEnabledAsync(current.UserId, cancellationToken));

    /// <summary>
    /// For an action that re-checks the password itself (password change): only the factor part, when one is on, so an
    /// account without a factor keeps changing its password with the current one alone.
    /// </summary>
    public async Task<bool> FactorSatisfiedAsync(Session current, CancellationToken cancellationToken) =>
        (AuthenticationMethods.IsMultiFactor(current.Amr) && guards.RecentlyAuthenticated(current))
        || !await totp.IsEnabledAsync(current.UserId, cancellationToken);
}
