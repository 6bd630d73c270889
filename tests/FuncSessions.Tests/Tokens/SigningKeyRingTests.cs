using System.Security.Cryptography;
using System.Text.Json;
using FuncSessions.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncSessions.Tests.Tokens;

public sealed class SigningKeyRingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "funcsessions-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Constructor_SignsWithFirstKeyAndVerifiesWithAll()
    {
        var ring = TestKeys.Ring(TestKeys.NewKey("a"), TestKeys.NewKey("b"));

        Assert.Equal("a", ring.Signing.Key.KeyId);
        Assert.Equal(SecurityAlgorithms.EcdsaSha256, ring.Signing.Algorithm);
        Assert.Equal(["a", "b"], ring.Keys.Select(k => k.KeyId));
    }

    [Fact]
    public void Constructor_CreatesDevelopmentKeyFileReadableOnlyByOwnerWhenMissing()
    {
        var path = Path.Combine(_directory, "nested", "dev-key.json");

        var ring = TestKeys.Ring(new TokenOptions { DevelopmentKeyFile = path });

        Assert.True(File.Exists(path));
        var stored = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        Assert.Equal(ring.Keys[0].KeyId, stored.GetProperty("KeyId").GetString());
        Assert.StartsWith("dev-", ring.Keys[0].KeyId, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Constructor_ReusesDevelopmentKeyFileSoRestartsKeepTokensValid()
    {
        var path = Path.Combine(_directory, "dev-key.json");
        var first = TestKeys.Ring(new TokenOptions { DevelopmentKeyFile = path });
        var signature = first.Keys[0].ECDsa.SignData("token"u8, HashAlgorithmName.SHA256);

        var second = TestKeys.Ring(new TokenOptions { DevelopmentKeyFile = path });

        Assert.Equal(first.Keys[0].KeyId, second.Keys[0].KeyId);
        Assert.True(second.Keys[0].ECDsa.VerifyData("token"u8, signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Constructor_IgnoresDevelopmentKeyFileWhenSigningKeysAreConfigured()
    {
        var path = Path.Combine(_directory, "dev-key.json");
        var options = TestKeys.Options(TestKeys.NewKey("prod"));
        options.DevelopmentKeyFile = path;

        var ring = TestKeys.Ring(options);

        Assert.Equal("prod", Assert.Single(ring.Keys).KeyId);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Constructor_ThrowsWhenNoKeyIsConfigured()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.Ring(new TokenOptions()));

        Assert.Contains("SigningKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_AcceptsPkcs8Pem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();

        var ring = TestKeys.Ring(new SigningKeyOptions { KeyId = "pem", PrivateKey = "\n" + pem + "\n" });

        Assert.Equal(key.ExportSubjectPublicKeyInfo(), ring.Keys[0].ECDsa.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void NewPrivateKey_ReturnsBase64Pkcs8P256Key()
    {
        using var key = ECDsa.Create();

        key.ImportPkcs8PrivateKey(Convert.FromBase64String(SigningKeyRing.NewPrivateKey()), out _);

        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
    }

    [Fact]
    public void Constructor_ThrowsWhenKeyIsUnresolvedKeyVaultReference()
    {
        var options = new SigningKeyOptions { KeyId = "kv", PrivateKey = "@Microsoft.KeyVault(SecretUri=https://vault.example/secrets/signing-key/)" };

        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.Ring(options));

        Assert.Contains("Key Vault reference", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("AAAA")]
    public void Constructor_ThrowsNamingTheKeyWhenPrivateKeyIsUnreadable(string privateKey)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.Ring(new SigningKeyOptions { KeyId = "broken", PrivateKey = privateKey }));

        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ThrowsNamingTheKeyWhenPemHoldsGarbage()
    {
        var garbage = PemEncoding.WriteString("PRIVATE KEY", new byte[] { 0, 0, 0 });

        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.Ring(new SigningKeyOptions { KeyId = "broken", PrivateKey = garbage }));

        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ThrowsWhenKeyIsRsa()
    {
        using var rsa = RSA.Create(2048);
        var options = new SigningKeyOptions { KeyId = "rsa", PrivateKey = rsa.ExportPkcs8PrivateKeyPem() };

        Assert.Throws<InvalidOperationException>(() => TestKeys.Ring(options));
    }

    [Fact]
    public void Constructor_ThrowsWhenKeyIsNotP256()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var options = new SigningKeyOptions { KeyId = "p384", PrivateKey = Convert.ToBase64String(key.ExportPkcs8PrivateKey()) };

        Assert.Throws<InvalidOperationException>(() => TestKeys.Ring(options));
    }

    [Fact]
    public void Constructor_ThrowsWhenKeyIsAnother256BitCurve()
    {
        // ES256 and the published JWKS ("crv": "P-256") both require P-256; a key size of 256 bits is not enough.
        using var key = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        var options = new SigningKeyOptions { KeyId = "brainpool", PrivateKey = Convert.ToBase64String(key.ExportPkcs8PrivateKey()) };

        Assert.Throws<InvalidOperationException>(() => TestKeys.Ring(options));
    }

    [Fact]
    public void Constructor_ThrowsWhenSigningKeyHasNoPrivatePart()
    {
        // A public-key PEM imports fine, but then the first login fails instead of start-up.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new SigningKeyOptions { KeyId = "public-only", PrivateKey = key.ExportSubjectPublicKeyInfoPem() };

        Assert.Throws<InvalidOperationException>(() => TestKeys.Ring(options));
    }
}
