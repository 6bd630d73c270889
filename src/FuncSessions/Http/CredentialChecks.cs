namespace FuncSessions.Http;

/// <summary>The shape checks a username-or-email/password body must pass before any storage call or hash.</summary>
internal static class CredentialChecks
{
    // Note: a cheap upper bound checked before any hashing; the configured policy applies on top.
    public const int PasswordLimit = 4096;

    public static Microsoft.AspNetCore.Http.IResult? Check(CredentialsRequest body) =>
        string.IsNullOrEmpty(body.Username) && string.IsNullOrEmpty(body.Email) ? Problems.MissingField("username")
        : string.IsNullOrEmpty(body.Password) ? Problems.MissingField("password")
        : body.Password.Length > PasswordLimit ? Problems.WeakPassword("password_too_long", "The password is too long.")
        : null;
}
