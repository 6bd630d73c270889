using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FuncSessions.SecondFactors;

/// <summary>
/// AES-256-GCM under <see cref="FactorOptions.EncryptionKey"/>, with a purpose as associated data so that a value
/// sealed for one use (a user's TOTP secret, a login challenge) never opens as another.
/// </summary>
public sealed class FactorProtector(IOptions<FactorOptions> options)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Lazy<byte[]> _key = new(() => options.Value.IsConfigured
        ? Convert.FromBase64String(options.Value.EncryptionKey!)
        : throw new InvalidOperationException($"{FactorOptions.EncryptionKeySetting} is not set."));

    public string Protect(string purpose, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        return Base64Url.EncodeToString(output);
    }

    /// <summary>The plaintext, or null when the value was not sealed by this key for this purpose (or was altered).</summary>
    public byte[]? Unprotect(string purpose, string? sealedValue)
    {
        if (sealedValue is null || sealedValue.Length > 8192 || !Base64Url.IsValid(sealedValue))
        {
            return null;
        }

        var input = Base64Url.DecodeFromChars(sealedValue);
        if (input.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plaintext = new byte[input.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key.Value, TagSize);
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plaintext,
                Encoding.UTF8.GetBytes(purpose));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
