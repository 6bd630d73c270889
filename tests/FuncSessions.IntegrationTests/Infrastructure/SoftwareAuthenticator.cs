using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// A WebAuthn authenticator in the test: a real P-256 key, attestation "none", and assertions signed over
/// authenticatorData ‖ SHA-256(clientDataJSON), as a browser and a platform authenticator would send them.
/// </summary>
public sealed class SoftwareAuthenticator(string rpId, string origin) : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(32);

    public string Id => Base64Url.EncodeToString(CredentialId);

    public uint SignCount { get; set; }

    public byte[]? UserHandle { get; private set; }

    /// <summary>The answer to <c>navigator.credentials.create</c> for the server's creation options.</summary>
    public JsonObject Create(JsonObject options, string? originOverride = null, string? rpIdOverride = null)
    {
        UserHandle = Base64Url.DecodeFromChars((string)options["user"]!["id"]!);
        var clientData = ClientData("webauthn.create", (string)options["challenge"]!, originOverride);
        var parameters = _key.ExportParameters(false);
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1); cose.WriteInt32(2);
        cose.WriteInt32(3); cose.WriteInt32(-7);
        cose.WriteInt32(-1); cose.WriteInt32(1);
        cose.WriteInt32(-2); cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3); cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();

        var attested = new List<byte>();
        attested.AddRange(new byte[16]); // AAGUID: none
        attested.Add((byte)(CredentialId.Length >> 8));
        attested.Add((byte)CredentialId.Length);
        attested.AddRange(CredentialId);
        attested.AddRange(cose.Encode());
        var authData = AuthenticatorData(rpIdOverride, 0x40, attested);

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt"); attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt"); attestation.WriteStartMap(0); attestation.WriteEndMap();
        attestation.WriteTextString("authData"); attestation.WriteByteString(authData);
        attestation.WriteEndMap();

        return Credential(new JsonObject
        {
            ["attestationObject"] = Base64Url.EncodeToString(attestation.Encode()),
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["transports"] = new JsonArray("internal"),
        });
    }

    /// <summary>The answer to <c>navigator.credentials.get</c>; the counter goes up by one unless told otherwise.</summary>
    public JsonObject Get(JsonObject options, string? originOverride = null, uint? signCount = null)
    {
        SignCount = signCount ?? SignCount + 1;
        var clientData = ClientData("webauthn.get", (string)options["challenge"]!, originOverride);
        var authData = AuthenticatorData(null, 0, []);
        var signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Credential(new JsonObject
        {
            ["authenticatorData"] = Base64Url.EncodeToString(authData),
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["signature"] = Base64Url.EncodeToString(signature),
            ["userHandle"] = Base64Url.EncodeToString(UserHandle!),
        });
    }

    public void Dispose() => _key.Dispose();

    // Note: flags UP (0x01) and UV (0x04) always; AT (0x40) at registration.
    private byte[] AuthenticatorData(string? rpIdOverride, byte extraFlags, IEnumerable<byte> attested)
    {
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, SignCount);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpIdOverride ?? rpId)), (byte)(0x05 | extraFlags), .. counter, .. attested];
    }

    private byte[] ClientData(string type, string challenge, string? originOverride) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = type,
            ["challenge"] = challenge,
            ["origin"] = originOverride ?? origin,
            ["crossOrigin"] = false,
        }.ToJsonString());

    private JsonObject Credential(JsonObject response) => new()
    {
        ["id"] = Id,
        ["rawId"] = Id,
        ["type"] = "public-key",
        ["response"] = response,
        ["clientExtensionResults"] = new JsonObject(),
    };
}
