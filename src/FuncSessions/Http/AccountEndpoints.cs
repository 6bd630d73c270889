using FuncSessions.Email;
using FuncSessions.Passwords;
using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using FuncSessions.Throttling;
using FuncSessions.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>The account and its password: sign-up and password change.</summary>
public sealed class AccountEndpoints(
    RequestGuards guards,
    JsonRequestReader reader,
    TokenDelivery tokens,
    UserAccounts users,
    PasswordPolicy passwordPolicy,
    SessionIssuer issuer,
    SessionRevocation revocation,
    RegistrationThrottle registrationThrottle,
    StepUp stepUp,
    EmailPolicy emailPolicy,
    MailQueue mail,
    IOptions<UserOptions> userOptions)
{
    // Note: 202 with no body whether or not the name was free, after the same password hash either way (ASVS 6.3.8):
    // registration does not tell who has an account. A taken name shows up as invalid_credentials at login.
    public Task<IResult> RegisterAsync(HttpContext context) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        if (!userOptions.Value.AllowRegistration)
        {
            return Problems.RegistrationDisabled();
        }

        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.CredentialsRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (CredentialChecks.Check(body!) is { } invalid)
        {
            return invalid;
        }

        var username = body!.Username is null ? null : Usernames.Clean(body.Username);
        if (body.Username is not null && username is null)
        {
            return Problems.InvalidUsername();
        }

        var email = body.Email is null ? null : EmailAddresses.Clean(body.Email);
        if (body.Email is not null && (email is null || !emailPolicy.Enabled))
        {
            return emailPolicy.Enabled ? Problems.InvalidEmail() : Problems.EmailDisabled();
        }

        if (passwordPolicy.Check(body.Password!, username ?? email!) is var (code, detail))
        {
            return Problems.WeakPassword(code, detail);
        }

        // Note: registrations have their own budget per address, taken before the hash: they are not failed guesses.
        if (await registrationThrottle.TakeAsync(client.IpAddress, ct) is { } wait)
        {
            return guards.TooManyRequests(context, client, wait);
        }

        var (outcome, user) = await users.RegisterAsync(body.Username, body.Password!, ct, email);
        if (outcome == RegistrationOutcome.Created && user!.Email is not null)
        {
            await mail.EnqueueAsync(new MailRequest(MailKind.VerifyEmail, UserKey: user.Key), ct);
        }

        return TypedResults.Accepted((string?)null);
    });

    public Task<IResult> ChangePasswordAsync(HttpContext context) => guards.AuthenticatedAsync(context, async (current, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.ChangePasswordRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.CurrentPassword))
        {
            return Problems.MissingField("currentPassword");
        }

        if (string.IsNullOrEmpty(body.NewPassword))
        {
            return Problems.MissingField("newPassword");
        }

        if (passwordPolicy.Check(body.NewPassword, current.Username) is var (code, detail))
        {
            return Problems.WeakPassword(code, detail);
        }

        // Note: the current password proves the first factor again; with TOTP on, this session must also have proved the second recently.
        if (!await stepUp.FactorSatisfiedAsync(current, ct))
        {
            return Problems.ReauthenticationRequired();
        }

        var client = guards.Client(context);
        var (outcome, user, retryAfter) = await users.ChangePasswordAsync(current.UserKey, body.CurrentPassword, body.NewPassword, client, ct);
        switch (outcome)
        {
            case PasswordChangeOutcome.WrongPassword:
                return Problems.InvalidCredentials();
            case PasswordChangeOutcome.Throttled:
                return RequestGuards.TooManyAttempts(context, retryAfter!.Value);
            case PasswordChangeOutcome.Conflict:
                return Problems.PasswordChangeConflict();
        }

        // Note: a credential change ends every session, this one included (ASVS 7.4.3), and the caller continues in a
        // fresh session with a new id (ASVS 7.2.4).
        await revocation.RevokeAllAsync(user!.UserId, keepSessionId: null, ct);
        // Note: null only when yet another credential change landed meanwhile; this caller's password is not the current one.
        // Note: the new session keeps how this one was signed in to (its second factor too), with a fresh auth_time.
        if (await issuer.IssueAsync(user, client, current.Amr, ct) is not { } issued)
        {
            return Problems.PasswordChangeConflict();
        }

        return RequestGuards.Json(tokens.Deliver(context.Response, issued));
    });
}
