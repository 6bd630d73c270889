using FuncSessions.Throttling;
using Microsoft.Extensions.Options;

namespace FuncSessions.SecondFactors;

/// <summary>What enrolment shows the user once: the secret (for typing in), its <c>otpauth://</c> URI and that as a QR code.</summary>
public sealed record TotpSetup(string Secret, string OtpAuthUri, string QrCode);

/// <summary>
/// The TOTP factor of an account: enrolment (a secret that guards nothing until a correct code confirms it), and code
/// checks that accept each time step once. The secret is sealed at rest under the factor key and never shown again.
/// </summary>
public sealed class TotpFactor(IFactorStore store, FactorProtector protector, TotpCodes codes, AccountThrottle throttle,
    IOptions<FactorOptions> options, TimeProvider time)
{
    public async Task<bool> IsEnabledAsync(string userId, CancellationToken cancellationToken) =>
        await store.FindTotpAsync(userId, cancellationToken) is { Confirmed: true };

    /// <summary>A new secret for the account, replacing any unconfirmed one; null when TOTP is already on (or a parallel enrolment won).</summary>
    public async Task<TotpSetup?> BeginEnrolmentAsync(string userId, string username, CancellationToken cancellationToken)
    {
        var existing = await store.FindTotpAsync(userId, cancellationToken);
        if (existing is { Confirmed: true })
        {
            return null;
        }

        var secret = TotpCodes.NewSecret();
        var enrolment = new TotpEnrolment
        {
            UserId = userId,
            SealedSecret = protector.Protect(Purpose(userId), secret),
            CreatedAt = time.GetUtcNow(),
            Version = existing?.Version ?? "",
        };
        if (!await store.TrySaveTotpAsync(enrolment, cancellationToken))
        {
            return null;
        }

        var uri = TotpCodes.Uri(options.Value.TotpIssuer, username, secret);
        return new TotpSetup(OtpNet.Base32Encoding.ToString(secret), uri, TotpCodes.QrCodeDataUrl(uri));
    }

    /// <summary>Turns TOTP on after a correct code for the pending secret (throttled like a login code).</summary>
    public Task<CodeCheck> ConfirmAsync(string userId, string code, CancellationToken cancellationToken) =>
        CodeCheck.ThrottledAsync(throttle, userId, () => AcceptAsync(userId, code, confirmed: false, cancellationToken), cancellationToken);

    /// <summary>Checks a login code of an enabled factor (throttled; each step accepted once).</summary>
    public Task<CodeCheck> VerifyAsync(string userId, string code, CancellationToken cancellationToken) =>
        CodeCheck.ThrottledAsync(throttle, userId, () => AcceptAsync(userId, code, confirmed: true, cancellationToken), cancellationToken);

    // Note: the step is recorded with a conditional write, so the same code sent twice in parallel is accepted once.
    private async Task<bool> AcceptAsync(string userId, string code, bool confirmed, CancellationToken cancellationToken)
    {
        if (await store.FindTotpAsync(userId, cancellationToken) is not { } enrolment || enrolment.Confirmed != confirmed
            || protector.Unprotect(Purpose(userId), enrolment.SealedSecret) is not { } secret
            || codes.MatchingStep(secret, code) is not { } step || step <= enrolment.LastUsedStep)
        {
            return false;
        }

        return await store.TrySaveTotpAsync(enrolment with { Confirmed = true, LastUsedStep = step }, cancellationToken);
    }

    // Note: the user id is part of the sealing, so a secret copied onto another user's row does not open.
    private static string Purpose(string userId) => "totp|" + userId;
}
