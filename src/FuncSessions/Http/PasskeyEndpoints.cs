using System.Text.Json;
using System.Text.Json.Nodes;
using Fido2NetLib;
using FuncSessions.Passkeys;
using FuncSessions.SecondFactors;
using FuncSessions.Sessions;
using FuncSessions.Throttling;
using FuncSessions.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>Passkeys: add one to the signed-in account, list and delete them, and sign in with one (no password).</summary>
public sealed class PasskeyEndpoints(
    RequestGuards guards,
    JsonRequestReader reader,
    TokenDelivery tokens,
    PasskeyCeremonies ceremonies,
    IPasskeyStore passkeys,
    CredentialChange accounts,
    IUserStore users,
    StepUp stepUp,
    SessionIssuer issuer,
    ClientThrottle clientThrottle,
    IOptions<PasskeyOptions> options,
    IOptions<FactorOptions> factorOptions)
{
    private const int MaxNameLength = 64;

    private bool Enabled => options.Value.IsConfigured && factorOptions.Value.IsConfigured;

    /// <summary>Creation options for the browser (<c>navigator.credentials.create</c>) and the sealed challenge to send back.</summary>
    public Task<IResult> BeginRegistrationAsync(HttpContext context) => SensitiveAsync(context, async (current, ct) =>
        await accounts.FindAsync(current, ct) is { } user
            ? ChallengeJson(await ceremonies.BeginRegistrationAsync(user, ct))
            : Problems.InvalidToken());

    /// <summary><c>{challengeToken, credential, name}</c>: stores the passkey when the attestation verifies for this user's challenge.</summary>
    public Task<IResult> CompleteRegistrationAsync(HttpContext context) => SensitiveAsync(context, async (current, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.JsonObject);
        if (problem is not null)
        {
            return problem;
        }

        var name = ((body!["name"] as JsonValue)?.TryGetValue<string>(out var given) == true ? given : "").Trim();
        if (name.Length is 0 or > MaxNameLength || !Read<AuthenticatorAttestationRawResponse>(body, out var credential))
        {
            return Problems.InvalidPasskey();
        }

        if (await accounts.FindAsync(current, ct) is not { } user)
        {
            return Problems.InvalidToken();
        }

        return await ceremonies.CompleteRegistrationAsync(user, ChallengeToken(body), credential!, name, ct) is { } passkey
            ? TypedResults.Json(Describe(passkey), FuncSessionsJsonContext.Default.PasskeyItem, statusCode: StatusCodes.Status201Created)
            : Problems.InvalidPasskey();
    });

    public Task<IResult> ListAsync(HttpContext context) => guards.AuthenticatedAsync(context, async (current, ct) =>
        TypedResults.Json(
            new PasskeyListResponse([.. (await passkeys.ListAsync(current.UserId, ct)).OrderBy(p => p.CreatedAt).Select(Describe)]),
            FuncSessionsJsonContext.Default.PasskeyListResponse));

    /// <summary>Deletes one of the caller's passkeys, unless it is the account's last way to sign in (as unlinking an identity).</summary>
    public Task<IResult> DeleteAsync(HttpContext context, string? id) => SensitiveAsync(context, async (current, ct) =>
    {
        // Note: another user's passkey id is not found, as the delete's partition (the caller's user id) would answer.
        if (string.IsNullOrEmpty(id) || await passkeys.FindAsync(id, ct) is not { } passkey || passkey.UserId != current.UserId)
        {
            return Problems.PasskeyNotFound();
        }

        if (await accounts.FindAsync(current, ct) is not { } user)
        {
            return Problems.InvalidToken();
        }

        if (await SignInMethods.AtMostOneAsync(user, passkeys, ct))
        {
            return Problems.LastSignInMethod();
        }

        return await passkeys.DeleteAsync(current.UserId, id, ct) ? TypedResults.NoContent() : Problems.PasskeyNotFound();
    });

    /// <summary>Request options for <c>navigator.credentials.get</c> (discoverable credentials: no user name needed).</summary>
    public Task<IResult> BeginLoginAsync(HttpContext context) => guards.ThrottledAsync(context, (_, _) =>
        Task.FromResult(Enabled ? ChallengeJson(ceremonies.BeginLogin()) : Problems.FactorsNotConfigured()));

    /// <summary><c>{challengeToken, credential}</c>: a new session, as login answers, when the assertion verifies.</summary>
    public Task<IResult> CompleteLoginAsync(HttpContext context) => guards.ThrottledAsync(context, async (client, ct) =>
    {
        var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.JsonObject);
        if (problem is not null || !Enabled)
        {
            return problem ?? Problems.FactorsNotConfigured();
        }

        if (!Read<AuthenticatorAssertionRawResponse>(body!, out var credential))
        {
            return Problems.InvalidPasskey();
        }

        // Note: a passkey with user verification is two factors in one, so no second-factor step follows, TOTP or not.
        if (await ceremonies.CompleteLoginAsync(ChallengeToken(body!), credential!, ct) is not { } passkey
            || await users.FindByKeyAsync(passkey.UserKey, ct) is not { } user || user.UserId != passkey.UserId
            || await issuer.IssueAsync(user, client, AuthenticationMethods.Passkey(passkey.BackupEligible), ct) is not { } issued)
        {
            await clientThrottle.StrikeAsync(client.IpAddress, ct);
            return Problems.InvalidPasskey();
        }

        return RequestGuards.Json(tokens.Deliver(context.Response, issued));
    });

    private Task<IResult> SensitiveAsync(HttpContext context, Func<Session, CancellationToken, Task<IResult>> handler) =>
        guards.AuthenticatedAsync(context, async (current, ct) =>
            !Enabled ? Problems.FactorsNotConfigured()
            : !await stepUp.SatisfiedAsync(current, ct) ? Problems.ReauthenticationRequired()
            : await handler(current, ct));

    private static string? ChallengeToken(JsonObject body) => (body["challengeToken"] as JsonValue)?.TryGetValue<string>(out var token) == true ? token : null;

    // Note: the library's own attributes (base64url byte arrays, enum names) define these types' JSON.
    private static bool Read<T>(JsonObject body, out T? credential)
        where T : class
    {
        credential = null;
        try
        {
            credential = body["credential"] is JsonObject node ? node.Deserialize<T>() : null;
        }
        catch (JsonException)
        {
            // Note: an answer the library cannot read is refused like one that does not verify.
        }

        return credential is not null;
    }

    private static IResult ChallengeJson(PasskeyChallenge challenge) =>
        TypedResults.Text(new JsonObject
        {
            ["challengeToken"] = challenge.ChallengeToken,
            ["options"] = JsonNode.Parse(challenge.OptionsJson),
        }.ToJsonString(), "application/json");

    private static PasskeyItem Describe(Passkey p) =>
        new(p.Id, p.Name, p.CreatedAt, p.LastUsedAt, p.Transports, p.Aaguid, p.BackupEligible);
}
