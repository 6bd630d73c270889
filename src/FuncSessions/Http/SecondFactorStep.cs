using System.Globalization;
using FuncSessions.SecondFactors;
using FuncSessions.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// The "second factor required" state between a correct password and a code: a sealed, expiring value naming the user
/// and the credential version the password was checked against. Cookie mode keeps it in an HttpOnly <c>__Host-</c>
/// cookie (script never sees it); bearer mode returns it as <c>secondFactorToken</c>. It is not a session: it opens
/// nothing but <c>login/second-factor</c>, and only until it expires or one completion spends it.
/// </summary>
public sealed class SecondFactorStep(
    SealedChallenges challenges, TotpFactor totp, IUserStore users, IOptions<HttpOptions> options, IOptions<FactorOptions> factorOptions)
{
    public const string Cookie = "__Host-fs-2fa";

    private const string Kind = "login-2fa";

    // Note: a kind of its own, so the code step knows the first factor was a provider's sign-in, not a password.
    private const string FederatedKind = "login-2fa-fed";

    private bool UseCookies => options.Value.TokenTransport == TokenTransport.Cookie;

    /// <summary>The 401 that asks for a code when <paramref name="user"/> has TOTP on; null when the password is all it needs.</summary>
    /// <param name="federated">The first factor was an external provider's sign-in rather than the password.</param>
    public async Task<IResult?> ChallengeAsync(HttpContext context, UserAccount user, CancellationToken cancellationToken, bool federated = false)
    {
        if (!factorOptions.Value.IsConfigured || !await totp.IsEnabledAsync(user.UserId, cancellationToken))
        {
            return null;
        }

        var payload = user.CredentialVersion.ToString(CultureInfo.InvariantCulture) + "|" + user.Key;
        var (token, expires) = challenges.Seal(federated ? FederatedKind : Kind, user.UserId, payload);
        if (UseCookies)
        {
            context.Response.Cookies.Append(Cookie, token, HostCookies.Options(expires));
        }

        return Problems.SecondFactorRequired(expires, UseCookies ? null : token);
    }

    /// <summary>
    /// The pending sign-in the request carries: the user as stored now, if it still has the credential version the
    /// password was checked against; null when the state is missing, forged, expired, or the account changed since.
    /// </summary>
    public async Task<PendingSecondFactor?> FindAsync(HttpRequest request, string? bodyToken, CancellationToken cancellationToken)
    {
        var token = UseCookies ? RequestCookies.Get(request, Cookie) : bodyToken;
        var state = challenges.Open(Kind, token);
        var federated = state is null && (state = challenges.Open(FederatedKind, token)) is not null;
        if (state is null || state.Payload.Split('|', 2) is not [var version, var userKey])
        {
            return null;
        }

        var user = await users.FindByKeyAsync(userKey, cancellationToken);
        return user is not null && user.UserId == state.UserId && user.CredentialVersion.ToString(CultureInfo.InvariantCulture) == version
            ? new PendingSecondFactor(user, token!, state, federated)
            : null;
    }

    /// <summary>Spends the state; false when another completion already did (a replay).</summary>
    public Task<bool> CompleteAsync(HttpResponse response, PendingSecondFactor pending, CancellationToken cancellationToken)
    {
        if (UseCookies)
        {
            response.Cookies.Delete(Cookie, HostCookies.Options(null));
        }

        return challenges.ConsumeAsync(pending.Token, pending.State, cancellationToken);
    }
}

/// <param name="Federated">The first factor was an external provider's sign-in (<see cref="Sessions.AuthenticationMethods.Federated"/>).</param>
public sealed record PendingSecondFactor(UserAccount User, string Token, ChallengeState State, bool Federated = false);
