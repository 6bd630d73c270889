using System.Text.Json;
using FuncSessions.Http;
using FuncSessions.Sessions;
using FuncSessions.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.External;

/// <summary>How a callback ended: the identity and its transaction, or a problem code and where to report it.</summary>
public sealed record CallbackResult(string ReturnTo, SignInTransaction? Transaction, ExternalIdentity? Identity, string? Error);

/// <summary>
/// The protocol half of an external sign-in: the authorization request (code flow with PKCE S256, state, nonce), and
/// the callback (the transaction it must match, the code redeemed, the ID token or GitHub's user API checked). It
/// yields an identity; what it signs in to is <see cref="ExternalAccounts"/>' business.
/// </summary>
public sealed class ExternalSignInFlow(
    SignInTransactions transactions,
    ProviderMetadata metadata,
    ProviderTokenClient tokenClient,
    IdTokenValidator idTokens,
    GitHubUsers gitHub,
    IOptions<TokenOptions> tokenOptions,
    ILogger<ExternalSignInFlow> logger)
{
    /// <summary>The provider's authorization URL, with the transaction saved in its cookie.</summary>
    public async Task<string> StartAsync(
        HttpContext context, ExternalProvider provider, string returnTo, string? linkUserId, CancellationToken cancellationToken)
    {
        var authorizationEndpoint = provider.UsesOpenIdConnect
            ? (await metadata.GetAsync(provider, cancellationToken)).AuthorizationEndpoint
            : ExternalProvider.GitHubAuthorizationEndpoint;
        var transaction = SignInTransaction.Create(provider.Name, returnTo, RedirectUri(context.Request, provider), linkUserId);
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = provider.ClientId,
            ["redirect_uri"] = transaction.RedirectUri,
            ["scope"] = provider.Scopes,
            ["state"] = transaction.State,
            ["code_challenge"] = transaction.CodeChallenge,
            ["code_challenge_method"] = "S256",
        };
        if (provider.UsesOpenIdConnect)
        {
            query["nonce"] = transaction.Nonce;
        }

        transactions.Save(context.Response, transaction);
        return QueryHelpers.AddQueryString(authorizationEndpoint, query);
    }

    public async Task<CallbackResult> CallbackAsync(
        HttpContext context, ExternalProvider provider, string fallbackReturnTo, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var (transaction, sealedValue, state) = transactions.Take(context.Request, context.Response);
        if (transaction is null)
        {
            return Failed(fallbackReturnTo, null, "invalid_state", provider, "no live transaction cookie");
        }

        if (transaction.Provider != provider.Name || !SecureIds.ConstantTimeEquals(query["state"].ToString(), transaction.State))
        {
            return Failed(transaction.ReturnTo, transaction, "invalid_state", provider, "state does not match");
        }

        // Note: spent before anything else, so a replayed callback (the same cookie and state) is refused here.
        if (!await transactions.SpendAsync(sealedValue!, state!, cancellationToken))
        {
            return Failed(transaction.ReturnTo, transaction, "invalid_state", provider, "transaction already used");
        }

        if (query["error"].ToString() is { Length: > 0 } error)
        {
            return Failed(transaction.ReturnTo, transaction, error == "access_denied" ? "access_denied" : "provider_error", provider, "provider error");
        }

        if (query["code"].ToString() is not { Length: > 0 } code)
        {
            return Failed(transaction.ReturnTo, transaction, "provider_error", provider, "no code");
        }

        try
        {
            return provider.UsesOpenIdConnect
                ? await OpenIdConnectAsync(provider, transaction, code, cancellationToken)
                : await GitHubAsync(provider, transaction, code, cancellationToken);
        }
        catch (Exception e) when (IsProviderFault(e) && !cancellationToken.IsCancellationRequested)
        {
            logger.ExternalProviderUnavailable(provider.Name, e.GetType().Name);
            return new CallbackResult(transaction.ReturnTo, transaction, null, "provider_unavailable");
        }
    }

    /// <summary>Whether <paramref name="e"/> is the provider failing to answer (or answering nonsense), not our fault.</summary>
    public static bool IsProviderFault(Exception e) =>
        e is HttpRequestException or IOException or TaskCanceledException or JsonException or InvalidOperationException;

    private async Task<CallbackResult> OpenIdConnectAsync(
        ExternalProvider provider, SignInTransaction transaction, string code, CancellationToken cancellationToken)
    {
        var configuration = await metadata.GetAsync(provider, cancellationToken);
        var (tokens, refused) = await tokenClient.RedeemAsync(
            configuration.TokenEndpoint, provider, code, transaction.Verifier, transaction.RedirectUri, cancellationToken);
        if (tokens?.IdToken is not { } idToken)
        {
            return Failed(transaction.ReturnTo, transaction, "token_exchange_failed", provider, "code refused: " + (refused ?? "no id_token"));
        }

        var result = await idTokens.ValidateAsync(idToken, configuration, provider, transaction.Nonce);
        // Note: an unknown key id may be a rotation at the provider: one fresh read of its keys, then the same checks.
        if (result.Outcome == IdTokenOutcome.UnknownKey && await metadata.RefreshAsync(provider, cancellationToken) is { } refreshed)
        {
            result = await idTokens.ValidateAsync(idToken, refreshed, provider, transaction.Nonce);
        }

        return result.Outcome switch
        {
            IdTokenOutcome.Valid => new CallbackResult(transaction.ReturnTo, transaction, result.Identity, null),
            IdTokenOutcome.TenantNotAllowed => Failed(transaction.ReturnTo, transaction, "tenant_not_allowed", provider, result.Reason),
            _ => Failed(transaction.ReturnTo, transaction, "invalid_id_token", provider, result.Reason),
        };
    }

    private async Task<CallbackResult> GitHubAsync(
        ExternalProvider provider, SignInTransaction transaction, string code, CancellationToken cancellationToken)
    {
        var (tokens, refused) = await tokenClient.RedeemAsync(
            ExternalProvider.GitHubTokenEndpoint, provider, code, transaction.Verifier, transaction.RedirectUri, cancellationToken);
        if (tokens is null)
        {
            return Failed(transaction.ReturnTo, transaction, "token_exchange_failed", provider, "code refused: " + refused);
        }

        return await gitHub.FindAsync(provider, tokens.AccessToken!, cancellationToken) is { } identity
            ? new CallbackResult(transaction.ReturnTo, transaction, identity, null)
            : Failed(transaction.ReturnTo, transaction, "provider_error", provider, "user API refused the token");
    }

    private CallbackResult Failed(string returnTo, SignInTransaction? transaction, string code, ExternalProvider provider, string? reason)
    {
        logger.ExternalSignInRefused(provider.Name, code, reason);
        return new CallbackResult(returnTo, transaction, null, code);
    }

    // Note: the redirect URI registered at the provider: under the issuer when it is the API's URL (as in Azure), else
    // this request's own host.
    private string RedirectUri(HttpRequest request, ExternalProvider provider)
    {
        var api = IssuerUrl.TryParse(tokenOptions.Value.Issuer, out var issuer)
            ? issuer.AbsoluteUri.TrimEnd('/')
            : $"{request.Scheme}://{request.Host.Value}/{AuthRoutes.Prefix}";
        return $"{api}/auth/oauth/{provider.Name}/callback";
    }
}
