using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FuncSessions.Tokens;

/// <summary>The ES256 keys: the first signs, all verify. Loaded once at start-up.</summary>
public sealed class SigningKeyRing
{
    public SigningKeyRing(IOptions<TokenOptions> options)
        : this(options, TokenOptions.DefaultDevelopmentKeyFolder)
    {
    }

    /// <summary>Tests give their own folder for relative development key files, so they never write the user's.</summary>
    internal SigningKeyRing(IOptions<TokenOptions> options, Func<string> developmentKeyFolder)
    {
        var configured = options.Value.SigningKeys;
        Keys = configured.Count > 0
            ? configured.Select(k => Load(k.KeyId, k.PrivateKey)).ToList()
            : [LoadOrCreateDevelopmentKey(DevelopmentKeyPath(options.Value.DevelopmentKeyFile, developmentKeyFolder)
                ?? throw new InvalidOperationException(
                    "No signing key: set FuncSessions:Tokens:SigningKeys:0:KeyId and :PrivateKey (a P-256 PKCS#8 key; " +
                    "'dotnet run --project src/FuncSessions.Host -- new-signing-key' makes one), or " +
                    "FuncSessions:Tokens:DevelopmentKeyFile for local development."))];
        Signing = new SigningCredentials(Keys[0], SecurityAlgorithms.EcdsaSha256);
    }

    public IReadOnlyList<ECDsaSecurityKey> Keys { get; }

    public SigningCredentials Signing { get; }

    /// <summary>A new P-256 key as one-line base64 PKCS#8 DER, the form the PrivateKey setting accepts.</summary>
    public static string NewPrivateKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    private static ECDsaSecurityKey Load(string keyId, string privateKey)
    {
        var text = privateKey.Trim();
        if (text.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Signing key '{keyId}' is an unresolved Key Vault reference: grant the app's identity 'Key Vault Secrets User' " +
                "and set the site's keyVaultReferenceIdentity to that identity.");
        }

        var ecdsa = ECDsa.Create();
        try
        {
            if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                ecdsa.ImportFromPem(text);
            }
            else
            {
                ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(text), out _);
            }
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Signing key '{keyId}' is not a PKCS#8 private key (PEM, or base64 DER on one line).", e);
        }

        // Note: ES256 is P-256 only; another 256-bit curve would load here and fail at the first login instead.
        if (ecdsa.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new InvalidOperationException($"Signing key '{keyId}' must be a P-256 (prime256v1) key for ES256.");
        }

        if (!HasPrivateKey(ecdsa))
        {
            throw new InvalidOperationException($"Signing key '{keyId}' is a public key; the private key is needed to sign.");
        }

        return new ECDsaSecurityKey(ecdsa) { KeyId = keyId };
    }

    private static bool HasPrivateKey(ECDsa ecdsa)
    {
        try
        {
            return ecdsa.ExportParameters(includePrivateParameters: true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string? DevelopmentKeyPath(string? file, Func<string> folder) =>
        string.IsNullOrWhiteSpace(file) ? null
        : Path.IsPathRooted(file) ? Path.GetFullPath(file)
        : Path.GetFullPath(file, folder());

    private static ECDsaSecurityKey LoadOrCreateDevelopmentKey(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var created = new DevelopmentKey("dev-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant(), NewPrivateKey());
            // Note: created owner-only from the start, not restricted after the key is already on disk.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(path, options))
            {
                JsonSerializer.Serialize(file, created, DevelopmentKeyJsonContext.Default.DevelopmentKey);
            }
        }

        var key = JsonSerializer.Deserialize(File.ReadAllText(path), DevelopmentKeyJsonContext.Default.DevelopmentKey)
            ?? throw new InvalidOperationException($"The development key file '{path}' is empty.");
        return Load(key.KeyId, key.PrivateKey);
    }
}

internal sealed record DevelopmentKey(string KeyId, string PrivateKey);

[System.Text.Json.Serialization.JsonSerializable(typeof(DevelopmentKey))]
internal sealed partial class DevelopmentKeyJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
