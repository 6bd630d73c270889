namespace FuncSessions.Sessions;

/// <summary>
/// The RFC 8176 <c>amr</c> values a session records. <c>mfa</c> marks a sign-in with two factors (password and a code,
/// or a passkey with user verification, which is something held and something known or are), what step-up asks for.
/// </summary>
public static class AuthenticationMethods
{
    public const string Password = "pwd";
    public const string OneTimePassword = "otp";

    /// <summary>A passkey that cannot leave its device (not backup eligible).</summary>
    public const string HardwareKey = "hwk";

    /// <summary>A synced passkey (backup eligible: the key may be copied to other devices by its provider).</summary>
    public const string SoftwareKey = "swk";

    /// <summary>The authenticator verified the user (PIN or biometric).</summary>
    public const string UserVerification = "user";

    public const string MultipleFactors = "mfa";

    /// <summary>
    /// A sign-in at an external provider (OpenID Connect, GitHub). Never <c>mfa</c> on its own: what the provider checked
    /// is its business, so an account with TOTP on still takes the code step.
    /// </summary>
    public const string Federated = "fed";

    public static readonly IReadOnlyList<string> PasswordOnly = [Password];

    public static readonly IReadOnlyList<string> PasswordAndCode = [Password, OneTimePassword, MultipleFactors];

    /// <summary>A recovery code stands in for the second factor; RFC 8176 has no value of its own for it.</summary>
    public static readonly IReadOnlyList<string> PasswordAndRecoveryCode = [Password, MultipleFactors];

    public static readonly IReadOnlyList<string> FederatedOnly = [Federated];

    public static readonly IReadOnlyList<string> FederatedAndCode = [Federated, OneTimePassword, MultipleFactors];

    public static readonly IReadOnlyList<string> FederatedAndRecoveryCode = [Federated, MultipleFactors];

    public static IReadOnlyList<string> Passkey(bool backupEligible) =>
        [backupEligible ? SoftwareKey : HardwareKey, UserVerification, MultipleFactors];

    public static bool IsMultiFactor(IReadOnlyList<string> amr) => amr.Contains(MultipleFactors);
}
