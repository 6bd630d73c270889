using System.Globalization;
using FuncSessions.SecondFactors;
using FuncSessions.Users;

namespace FuncSessions.External;

/// <summary>
/// Bearer mode's hand-over: tokens never travel in a URL, so the callback returns to the site with a one-time code
/// (sealed, naming the account and its credential version, <see cref="Lifetime"/>) that the site exchanges by POST for
/// the session, as a login answers. The session is issued at the exchange, not before.
/// </summary>
public sealed class SignInCodes(SealedChallenges challenges, IUserStore users)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private const string Kind = "oauth-signin";

    public string Issue(UserAccount user) =>
        challenges.Seal(Kind, user.UserId, user.CredentialVersion.ToString(CultureInfo.InvariantCulture) + "|" + user.Key, Lifetime).Sealed;

    /// <summary>The account, spending the code; null when the code is not live, was used, or the account's credential changed since.</summary>
    public async Task<UserAccount?> RedeemAsync(string? code, CancellationToken cancellationToken)
    {
        if (challenges.Open(Kind, code) is not { } state || state.Payload.Split('|', 2) is not [var version, var userKey])
        {
            return null;
        }

        var user = await users.FindByKeyAsync(userKey, cancellationToken);
        if (user is null || user.UserId != state.UserId || user.CredentialVersion.ToString(CultureInfo.InvariantCulture) != version)
        {
            return null;
        }

        return await challenges.ConsumeAsync(code!, state, cancellationToken) ? user : null;
    }
}
