using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using FuncSessions.Sessions;

namespace FuncSessions.Email;

/// <summary>What a one-time link does. Each user has at most one live token of each kind: a newer one replaces it.</summary>
public enum OneTimeTokenKind
{
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

/// <summary>
/// A one-time link token "{userId}.{kind}.{secret}": the user id and kind name its row, so redeeming it is one point
/// read; the 256-bit secret is the credential, and only a SHA-256 hash of the whole token is stored.
/// </summary>
public sealed class OneTimeToken
{
    private const int MaxLength = 96;

    private OneTimeToken(string userId, OneTimeTokenKind kind, string secret)
    {
        UserId = userId;
        Kind = kind;
        Value = $"{userId}.{Code(kind)}.{secret}";
    }

    public string UserId { get; }

    public OneTimeTokenKind Kind { get; }

    public string Value { get; }

    public string Hash => SecureIds.Hash(Value);

    public static OneTimeToken Create(string userId, OneTimeTokenKind kind) =>
        new(userId, kind, Base64Url.EncodeToString(SecureIds.NewSecret()));

    public static bool TryParse(string? value, [NotNullWhen(true)] out OneTimeToken? token)
    {
        token = null;
        if (value is null || value.Length > MaxLength || value.Split('.') is not [var userId, var code, var secret]
            || !SecureIds.IsWellFormedId(userId) || KindOf(code) is not { } kind
            || !Base64Url.IsValid(secret, out var length) || length != 32)
        {
            return false;
        }

        // Note: re-encoding rejects non-canonical base64url, so one secret has exactly one accepted spelling.
        var parsed = new OneTimeToken(userId, kind, Base64Url.EncodeToString(Base64Url.DecodeFromChars(secret)));
        token = parsed.Value == value ? parsed : null;
        return token is not null;
    }

    /// <summary>The short name in tokens and row keys.</summary>
    public static string Code(OneTimeTokenKind kind) => kind switch
    {
        OneTimeTokenKind.VerifyEmail => "verify",
        OneTimeTokenKind.ResetPassword => "reset",
        _ => "change",
    };

    /// <summary>The kind a short name stands for, or null.</summary>
    public static OneTimeTokenKind? KindOf(string code) => code switch
    {
        "verify" => OneTimeTokenKind.VerifyEmail,
        "reset" => OneTimeTokenKind.ResetPassword,
        "change" => OneTimeTokenKind.ChangeEmail,
        _ => null,
    };
}
