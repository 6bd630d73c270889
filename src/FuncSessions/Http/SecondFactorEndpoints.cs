using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using FuncSessions.Throttling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>TOTP and recovery codes: set up, turn off, reissue, and the code step of a password login.</summary>
public sealed class SecondFactorEndpoints(
    RequestGuards guards,
    JsonRequestReader reader,
    TokenDelivery tokens,
    SecondFactorStep step,
    TotpFactor totp,
    RecoveryCodeFactor recoveryCodes,
    StepUp stepUp,
    CredentialChange credentialChange,
    IFactorStore factors,
    SessionIssuer issuer,
    ClientThrottle clientThrottle,
    IOptions<FactorOptions> options)
{
    /// <summary>Completes a login that answered <c>second_factor_required</c>, with a TOTP code or a recovery code.</summary>
    public Task<IResult> CompleteLoginAsync(HttpContext context) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.SecondFactorLoginRequest);
        if (problem is not null || !options.Value.IsConfigured)
        {
            return problem ?? Problems.FactorsNotConfigured();
        }

        if (string.IsNullOrEmpty(body!.Code) == string.IsNullOrEmpty(body.RecoveryCode))
        {
            return Problems.MissingField("code");
        }

        if (await step.FindAsync(context.Request, body.SecondFactorToken, ct) is not { } pending)
        {
            return Problems.SecondFactorExpired();
        }

        var user = pending.User;
        var usesRecoveryCode = !string.IsNullOrEmpty(body.RecoveryCode);
        var check = usesRecoveryCode
            ? await recoveryCodes.UseAsync(user.UserId, body.RecoveryCode!, ct)
            : await totp.VerifyAsync(user.UserId, body.Code!, ct);
        switch (check.Outcome)
        {
            case CodeOutcome.Throttled:
                return RequestGuards.TooManyAttempts(context, check.RetryAfter!.Value);
            case CodeOutcome.Rejected:
                await clientThrottle.StrikeAsync(client.IpAddress, ct);
                return Problems.InvalidCode();
        }

        if (!await step.CompleteAsync(context.Response, pending, ct))
        {
            return Problems.SecondFactorExpired();
        }

        // Note: a recovery code means the authenticator may be lost or in other hands: every session ends (as for a
        // password change) and this one starts under the new credential version.
        if (usesRecoveryCode && await credentialChange.EndSessionsAsync(user, keepSessionId: null, ct) is { } changed)
        {
            user = changed;
        }

        var amr = (usesRecoveryCode, pending.Federated) switch
        {
            (true, true) => AuthenticationMethods.FederatedAndRecoveryCode,
            (false, true) => AuthenticationMethods.FederatedAndCode,
            (true, false) => AuthenticationMethods.PasswordAndRecoveryCode,
            _ => AuthenticationMethods.PasswordAndCode,
        };
        return await issuer.IssueAsync(user, client, amr, ct) is { } issued
            ? RequestGuards.Json(tokens.Deliver(context.Response, issued))
            : Problems.SecondFactorExpired();
    });

    public Task<IResult> StatusAsync(HttpContext context) => guards.AuthenticatedAsync(context, async (current, ct) =>
    {
        var enrolment = await factors.FindTotpAsync(current.UserId, ct);
        var status = new SecondFactorStatusResponse(
            enrolment is { Confirmed: true }, await recoveryCodes.RemainingAsync(current.UserId, ct));
        return TypedResults.Json(status, FuncSessionsJsonContext.Default.SecondFactorStatusResponse);
    });

    /// <summary>Starts TOTP set-up: a new secret, shown this once. It guards nothing until <see cref="ConfirmTotpAsync"/>.</summary>
    public Task<IResult> BeginTotpAsync(HttpContext context) => SensitiveAsync(context, async (current, ct) =>
        await totp.BeginEnrolmentAsync(current.UserId, current.Username, ct) is { } setup
            ? TypedResults.Json(new TotpSetupResponse(setup.Secret, setup.OtpAuthUri, setup.QrCode), FuncSessionsJsonContext.Default.TotpSetupResponse)
            : Problems.TotpAlreadyEnabled());

    /// <summary>Turns TOTP on with a first correct code and answers the recovery codes, shown this once.</summary>
    public Task<IResult> ConfirmTotpAsync(HttpContext context) => SensitiveAsync(context, async (current, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.CodeRequest);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.Code))
        {
            return Problems.MissingField("code");
        }

        if (await factors.FindTotpAsync(current.UserId, ct) is not { Confirmed: false })
        {
            return Problems.TotpNotEnrolled();
        }

        var check = await totp.ConfirmAsync(current.UserId, body.Code, ct);
        return check.Outcome switch
        {
            CodeOutcome.Throttled => RequestGuards.TooManyAttempts(context, check.RetryAfter!.Value),
            CodeOutcome.Rejected => Problems.InvalidCode(),
            _ => RecoveryCodesJson(await recoveryCodes.IssueAsync(current.UserId, ct)),
        };
    });

    /// <summary>
    /// Turns TOTP off and deletes the recovery codes. The account drops to password only, so every other session ends
    /// (one opened with the factor may be in the hands that made the user remove it); this one continues.
    /// </summary>
    public Task<IResult> DisableTotpAsync(HttpContext context) => SensitiveAsync(context, async (current, ct) =>
    {
        if (!await totp.IsEnabledAsync(current.UserId, ct))
        {
            return Problems.TotpNotEnrolled();
        }

        if (await credentialChange.FindAsync(current, ct) is not { } user
            || await credentialChange.EndSessionsAsync(user, keepSessionId: current.SessionId, ct) is null)
        {
            return Problems.InvalidToken();
        }

        await factors.DeleteSecondFactorsAsync(current.UserId, ct);
        return TypedResults.NoContent();
    });

    /// <summary>A new set of recovery codes, replacing every earlier one.</summary>
    public Task<IResult> RegenerateRecoveryCodesAsync(HttpContext context) => SensitiveAsync(context, async (current, ct) =>
        await totp.IsEnabledAsync(current.UserId, ct)
            ? RecoveryCodesJson(await recoveryCodes.IssueAsync(current.UserId, ct))
            : Problems.TotpNotEnrolled());

    // Note: every factor change needs a recent sign-in that, once a factor is on, included it (StepUp).
    private Task<IResult> SensitiveAsync(HttpContext context, Func<Session, CancellationToken, Task<IResult>> handler) =>
        guards.AuthenticatedAsync(context, async (current, ct) =>
            !options.Value.IsConfigured ? Problems.FactorsNotConfigured()
            : !await stepUp.SatisfiedAsync(current, ct) ? Problems.ReauthenticationRequired()
            : await handler(current, ct));

    private static IResult RecoveryCodesJson(IReadOnlyList<string> codes) =>
        TypedResults.Json(new RecoveryCodesResponse(codes), FuncSessionsJsonContext.Default.RecoveryCodesResponse);
}
