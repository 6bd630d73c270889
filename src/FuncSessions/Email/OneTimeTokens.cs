using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Users;
using Microsoft.Extensions.Options;

namespace FuncSessions.Email;

/// <summary>Mints and redeems one-time link tokens: hashed at rest, short-lived, single use, superseded by a newer one.</summary>
public sealed class OneTimeTokens(TableOneTimeTokenStore store, IOptions<EmailOptions> options, TimeProvider time)
{
    /// <summary>A new token for <paramref name="user"/>, replacing any earlier one of the kind; sent to <paramref name="email"/>.</summary>
    public async Task<OneTimeToken> IssueAsync(UserAccount user, OneTimeTokenKind kind, string email, CancellationToken cancellationToken)
    {
        var token = OneTimeToken.Create(user.UserId, kind);
        await store.SaveAsync(new StoredOneTimeToken
        {
            UserId = user.UserId,
            Kind = kind,
            TokenHash = token.Hash,
            ExpiresAt = time.GetUtcNow() + Lifetime(kind),
            UserKey = user.Key,
            CredentialVersion = user.CredentialVersion,
            NormalizedEmail = EmailAddresses.Normalize(email),
            Email = email,
        }, cancellationToken);
        return token;
    }

    /// <summary>
    /// Reads the token's row and checks it: the right kind, the same hash (constant time), not expired. Does not use it
    /// up: call <see cref="TryConsumeAsync"/> once every other check passed, so a refused request leaves the link working.
    /// </summary>
    public async Task<StoredOneTimeToken?> FindAsync(string? presented, OneTimeTokenKind kind, CancellationToken cancellationToken)
    {
        if (!OneTimeToken.TryParse(presented, out var token) || token.Kind != kind
            || await store.FindAsync(token.UserId, kind, cancellationToken) is not { } stored
            || !SecureIds.ConstantTimeEquals(token.Hash, stored.TokenHash)
            || time.GetUtcNow() >= stored.ExpiresAt)
        {
            return null;
        }

        return stored;
    }

    /// <summary>Uses the token up: true for exactly one caller, even when two present it at once.</summary>
    public Task<bool> TryConsumeAsync(StoredOneTimeToken token, CancellationToken cancellationToken) => store.TryConsumeAsync(token, cancellationToken);

    private TimeSpan Lifetime(OneTimeTokenKind kind) => kind switch
    {
        OneTimeTokenKind.VerifyEmail => options.Value.VerificationLinkLifetime,
        OneTimeTokenKind.ResetPassword => options.Value.PasswordResetLinkLifetime,
        _ => options.Value.EmailChangeLinkLifetime,
    };
}
