using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FuncSessions.Http;
using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.External;

/// <summary>
/// What a sign-in at a provider must come back with: the <c>state</c> and <c>nonce</c> it sent, the PKCE verifier, where
/// to return, and for linking the account that asked. Never sent to the provider (only state, nonce and the verifier's
/// S256 challenge are).
/// </summary>
public sealed record SignInTransaction(
    string Provider, string State, string Nonce, string Verifier, string ReturnTo, string RedirectUri, string? LinkUserId)
{
    public static SignInTransaction Create(string provider, string returnTo, string redirectUri, string? linkUserId) =>
        new(provider, SecureIds.NewId() + SecureIds.NewId(), SecureIds.NewId() + SecureIds.NewId(),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), returnTo, redirectUri, linkUserId);

    /// <summary>RFC 7636 S256: base64url(SHA-256(verifier)).</summary>
    public string CodeChallenge => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
}

/// <summary>
/// Keeps the transaction in the browser, in a sealed (AES-GCM, <c>FuncSessions:Factors:EncryptionKey</c>), HttpOnly
/// <c>__Host-</c> cookie that lives <c>FuncSessions:Factors:ChallengeLifetime</c>: nothing is stored before the provider
/// answers, so anonymous visitors cannot fill a table, and the cookie binds the answer to the browser that started the
/// sign-in (login CSRF). SameSite=Lax, so the provider's top-level redirect back carries it. Single use: the callback
/// marks it spent (<see cref="SealedChallenges.ConsumeAsync"/>) before redeeming the code.
/// </summary>
public sealed class SignInTransactions(SealedChallenges challenges)
{
    public const string Cookie = "__Host-fs-oauth";

    private const string Kind = "oauth";

    public void Save(HttpResponse response, SignInTransaction transaction)
    {
        var json = JsonSerializer.Serialize(transaction, ExternalJsonContext.Default.SignInTransaction);
        var (value, expires) = challenges.Seal(Kind, transaction.LinkUserId, json);
        response.Cookies.Append(Cookie, value, HostCookies.Options(expires));
    }

    /// <summary>The transaction the request's cookie holds, if it is a live one; the cookie is expired either way.</summary>
    public (SignInTransaction? Transaction, string? Sealed, ChallengeState? State) Take(HttpRequest request, HttpResponse response)
    {
        var value = RequestCookies.Get(request, Cookie);
        if (value is not null)
        {
            response.Cookies.Delete(Cookie, HostCookies.Options(null));
        }

        if (challenges.Open(Kind, value) is not { } state)
        {
            return (null, null, null);
        }

        var transaction = JsonSerializer.Deserialize(state.Payload, ExternalJsonContext.Default.SignInTransaction);
        return (transaction, value, state);
    }

    /// <summary>False when the transaction was already used (a replayed callback).</summary>
    public Task<bool> SpendAsync(string sealedValue, ChallengeState state, CancellationToken cancellationToken) =>
        challenges.ConsumeAsync(sealedValue, state, cancellationToken);
}
