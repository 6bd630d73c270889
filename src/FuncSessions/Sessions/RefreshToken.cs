using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace FuncSessions.Sessions;

/// <summary>
/// An opaque refresh token "{userId}.{sessionId}.{secret}". The ids let refresh find its row with one point read;
/// the 256-bit secret is the credential, and only a hash of the whole token is stored.
/// </summary>
public sealed class RefreshToken
{
    private const int MaxLength = 128;
    private static readonly byte[] SealInfo = "FuncSessions refresh-token successor seal v1"u8.ToArray();

    private RefreshToken(string userId, string sessionId, byte[] secret)
    {
        UserId = userId;
        SessionId = sessionId;
        Secret = secret;
        Value = $"{userId}.{sessionId}.{Base64Url.EncodeToString(secret)}";
    }

    public string UserId { get; }

    public string SessionId { get; }

    public string Value { get; }

    public string Hash => SecureIds.Hash(Value);

    private byte[] Secret { get; }

    public static RefreshToken Create(string userId, string sessionId) => new(userId, sessionId, SecureIds.NewSecret());

    public static bool TryParse(string? value, [NotNullWhen(true)] out RefreshToken? token)
    {
        token = null;
        if (value is null || value.Length > MaxLength)
        {
            return false;
        }

        var parts = value.Split('.');
        if (parts.Length != 3 || !SecureIds.IsWellFormedId(parts[0]) || !SecureIds.IsWellFormedId(parts[1])
            || !Base64Url.IsValid(parts[2], out var length) || length != 32)
        {
            return false;
        }

        // Note: re-encoding rejects non-canonical base64url, so one secret has exactly one accepted spelling.
        var parsed = new RefreshToken(parts[0], parts[1], Base64Url.DecodeFromChars(parts[2]));
        token = parsed.Value == value ? parsed : null;
        return token is not null;
    }

    /// <summary>
    /// Seals <paramref name="successor"/>'s secret so that only a holder of this (parent) token can open it. Stored in
    /// the row, it lets a tab that lost a refresh race receive the same successor without the server keeping any
    /// usable token: the row holds only a hash of the parent, from which the sealing key cannot be derived.
    /// </summary>
    public string Seal(RefreshToken successor)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var sealedSecret = new byte[successor.Secret.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(SealingKey(), tag.Length);
        aes.Encrypt(nonce, successor.Secret, sealedSecret, tag, Encoding.UTF8.GetBytes(successor.SessionId));
        return Base64Url.EncodeToString([.. nonce, .. sealedSecret, .. tag]);
    }

    /// <summary>Opens a seal made by <see cref="Seal"/> on this token; null when it was not made with this token.</summary>
    public RefreshToken? OpenSuccessor(string? sealedValue)
    {
        if (sealedValue is null || !Base64Url.IsValid(sealedValue, out var length)
            || length != AesGcm.NonceByteSizes.MaxSize + 32 + AesGcm.TagByteSizes.MaxSize)
        {
            return null;
        }

        var bytes = Base64Url.DecodeFromChars(sealedValue);
        var nonce = bytes.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var sealedSecret = bytes.AsSpan(nonce.Length, 32);
        var tag = bytes.AsSpan(nonce.Length + 32);
        var secret = new byte[32];
        using var aes = new AesGcm(SealingKey(), tag.Length);
        try
        {
            aes.Decrypt(nonce, sealedSecret, tag, secret, Encoding.UTF8.GetBytes(SessionId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return new RefreshToken(UserId, SessionId, secret);
    }

    private byte[] SealingKey() => HKDF.DeriveKey(HashAlgorithmName.SHA256, Secret, 32, salt: [], info: SealInfo);
}
