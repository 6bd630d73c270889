using System.Buffers.Text;
using System.Text;
using Fido2NetLib;
using Fido2NetLib.Objects;
using FuncSessions.SecondFactors;
using FuncSessions.Users;
using Microsoft.Extensions.Options;

namespace FuncSessions.Passkeys;

/// <summary>A ceremony's options for the browser, and the sealed challenge the client returns with its answer.</summary>
public sealed record PasskeyChallenge(string ChallengeToken, string OptionsJson);

/// <summary>
/// WebAuthn registration and sign-in with fido2-net-lib: the options (challenge, RP, user verification required,
/// resident keys, attestation <c>none</c>) are sealed into the challenge token bound to the ceremony and, for
/// registration, to the user; the answer is verified against them (origin, RP id hash, challenge, signature, flags,
/// sign counter) and the token is spent.
/// </summary>
public sealed class PasskeyCeremonies(IFido2 fido2, SealedChallenges challenges, IPasskeyStore store, TimeProvider time)
{
    private const string RegisterKind = "passkey-register";
    private const string LoginKind = "passkey-login";

    public async Task<PasskeyChallenge> BeginRegistrationAsync(UserAccount user, CancellationToken cancellationToken)
    {
        var existing = await store.ListAsync(user.UserId, cancellationToken);
        var options = fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = Encoding.UTF8.GetBytes(user.UserId), Name = user.Username, DisplayName = user.Username },
            ExcludeCredentials = [.. existing.Select(p => new PublicKeyCredentialDescriptor(Base64Url.DecodeFromChars(p.Id)))],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        var json = options.ToJson();
        return new PasskeyChallenge(challenges.Seal(RegisterKind, user.UserId, json).Sealed, json);
    }

    /// <summary>The new passkey, or null when the challenge is not this user's live one or the attestation does not verify.</summary>
    public async Task<Passkey?> CompleteRegistrationAsync(
        UserAccount user, string? challengeToken, AuthenticatorAttestationRawResponse response, string name, CancellationToken cancellationToken)
    {
        if (challenges.Open(RegisterKind, challengeToken) is not { } state || state.UserId != user.UserId)
        {
            return null;
        }

        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CredentialCreateOptions.FromJson(state.Payload),
                IsCredentialIdUniqueToUserCallback = async (args, ct) => await store.FindAsync(Base64Url.EncodeToString(args.CredentialId), ct) is null,
            }, cancellationToken);
        }
        catch (Fido2VerificationException)
        {
            return null;
        }

        if (!await challenges.ConsumeAsync(challengeToken!, state, cancellationToken))
        {
            return null;
        }

        var passkey = new Passkey
        {
            Id = Base64Url.EncodeToString(credential.Id),
            UserId = user.UserId,
            UserKey = user.Key,
            PublicKey = credential.PublicKey,
            SignCount = credential.SignCount,
            Transports = [.. (credential.Transports ?? []).Select(t => t.ToString().ToLowerInvariant())],
            Aaguid = credential.AaGuid,
            BackupEligible = credential.IsBackupEligible,
            Name = name,
            CreatedAt = time.GetUtcNow(),
        };
        return await store.TryAddAsync(passkey, cancellationToken) ? passkey : null;
    }

    /// <summary>Sign-in options with no allow list: the browser offers the user's discoverable passkeys for this site.</summary>
    public PasskeyChallenge BeginLogin()
    {
        var options = fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [],
            UserVerification = UserVerificationRequirement.Required,
        });
        var json = options.ToJson();
        return new PasskeyChallenge(challenges.Seal(LoginKind, null, json).Sealed, json);
    }

    /// <summary>
    /// The passkey that signed, with its use recorded, or null: unknown credential, bad signature or origin or RP id,
    /// no user verification, a sign counter that went back (a cloned authenticator), or a challenge already spent.
    /// </summary>
    public async Task<Passkey?> CompleteLoginAsync(string? challengeToken, AuthenticatorAssertionRawResponse response, CancellationToken cancellationToken)
    {
        if (challenges.Open(LoginKind, challengeToken) is not { } state
            || await store.FindAsync(Base64Url.EncodeToString(response.RawId), cancellationToken) is not { } passkey)
        {
            return null;
        }

        VerifyAssertionResult result;
        try
        {
            result = await fido2.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = AssertionOptions.FromJson(state.Payload),
                StoredPublicKey = passkey.PublicKey,
                StoredSignatureCounter = passkey.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) =>
                    Task.FromResult(args.UserHandle.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(passkey.UserId))),
            }, cancellationToken);
        }
        catch (Fido2VerificationException)
        {
            return null;
        }

        var used = passkey with { SignCount = result.SignCount, LastUsedAt = time.GetUtcNow() };
        // Note: the conditional write on the sign count makes two parallel uses of one assertion count once.
        return await challenges.ConsumeAsync(challengeToken!, state, cancellationToken) && await store.TryRecordUseAsync(used, cancellationToken)
            ? used
            : null;
    }
}
