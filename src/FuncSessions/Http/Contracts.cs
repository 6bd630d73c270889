using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FuncSessions.Tokens;

namespace FuncSessions.Http;

/// <summary>Register and login: a username, an email address, or (register only) both, and the password.</summary>
public sealed record CredentialsRequest(string? Username, string? Password, string? Email = null);

public sealed record EmailRequest(string? Email);

public sealed record TokenRequest(string? Token);

public sealed record ResetPasswordRequest(string? Token, string? NewPassword);

public sealed record ChangeEmailRequest(string? NewEmail);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>The code step of a login: <c>code</c> (TOTP) or <c>recoveryCode</c>; <c>secondFactorToken</c> in bearer mode.</summary>
public sealed record SecondFactorLoginRequest(string? Code, string? RecoveryCode, string? SecondFactorToken);

public sealed record CodeRequest(string? Code);

/// <summary>Bearer mode: the one-time <c>signin_code</c> an external sign-in returned to the site with.</summary>
public sealed record SignInCodeRequest(string? Code);

/// <summary>A configured external provider, for the site's sign-in buttons.</summary>
public sealed record ExternalProviderItem(string Name, string DisplayName, string StartUrl);

public sealed record ExternalProviderListResponse(IReadOnlyList<ExternalProviderItem> Providers);

/// <summary>One external identity of the caller's account; the subject stays on the server.</summary>
public sealed record ExternalIdentityItem(string Id, string Provider, string? Email, DateTimeOffset LinkedAt);

/// <summary>The caller's external identities, and whether the account has a password (the other ways to sign in).</summary>
public sealed record ExternalIdentityListResponse(IReadOnlyList<ExternalIdentityItem> Identities, bool HasPassword);

/// <summary>Shown once at TOTP set-up: the base32 secret, its otpauth:// URI and a QR code of it (a PNG data URL).</summary>
public sealed record TotpSetupResponse(string Secret, string OtpAuthUri, string QrCode);

/// <summary>Shown once: only hashes are kept.</summary>
public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);

public sealed record SecondFactorStatusResponse(bool Totp, int RecoveryCodesLeft);

public sealed record PasskeyItem(
    string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, IReadOnlyList<string> Transports, Guid Aaguid, bool Synced);

public sealed record PasskeyListResponse(IReadOnlyList<PasskeyItem> Passkeys);

/// <summary>The session as the client may see it. Tokens appear only in bearer mode, never in cookie mode.</summary>
public sealed record SessionResponse
{
    public required string UserId { get; init; }

    public required string Username { get; init; }

    /// <summary>The account's address when the session began; absent when it has none.</summary>
    public string? Email { get; init; }

    /// <summary>Present with <see cref="Email"/>.</summary>
    public bool? EmailVerified { get; init; }

    public required string SessionId { get; init; }

    /// <summary>When the session ends unless refreshed (the earlier of the idle and absolute deadlines).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>The session's custom data (an object, empty when there is none); access tokens carry it as claims.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Data { get; init; }

    /// <summary>How the user signed in (RFC 8176 values such as <c>pwd</c>, <c>otp</c>, <c>hwk</c>/<c>swk</c>, <c>mfa</c>).</summary>
    public required IReadOnlyList<string> Amr { get; init; }

    /// <summary>When the user signed in: the session's start (every sign-in starts a new session).</summary>
    public required DateTimeOffset AuthTime { get; init; }

    public DateTimeOffset? AccessTokenExpiresAt { get; init; }

    public string? TokenType { get; init; }

    public string? AccessToken { get; init; }

    public string? RefreshToken { get; init; }
}

public sealed record SessionListItem(
    string Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? UserAgent, string? IpAddress, bool Current);

public sealed record SessionListResponse(IReadOnlyList<SessionListItem> Sessions);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CredentialsRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(SecondFactorLoginRequest))]
[JsonSerializable(typeof(CodeRequest))]
[JsonSerializable(typeof(SignInCodeRequest))]
[JsonSerializable(typeof(ExternalProviderListResponse))]
[JsonSerializable(typeof(ExternalIdentityListResponse))]
[JsonSerializable(typeof(TotpSetupResponse))]
[JsonSerializable(typeof(RecoveryCodesResponse))]
[JsonSerializable(typeof(SecondFactorStatusResponse))]
[JsonSerializable(typeof(PasskeyItem))]
[JsonSerializable(typeof(PasskeyListResponse))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(EmailRequest))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(ResetPasswordRequest))]
[JsonSerializable(typeof(ChangeEmailRequest))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(SessionListResponse))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(JsonWebKeySet))]
[JsonSerializable(typeof(OpenIdConfiguration))]
public sealed partial class FuncSessionsJsonContext : JsonSerializerContext;
