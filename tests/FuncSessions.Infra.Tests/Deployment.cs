using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FuncSessions.Tokens;

namespace FuncSessions.Infra.Tests;

/// <summary>The resources one parameter set deploys, from a Bicep snapshot.</summary>
internal sealed class Deployment
{
    private readonly JsonObject _snapshot;
    private readonly IReadOnlyDictionary<string, string> _secureParameters;
    private readonly IReadOnlyDictionary<string, string> _secretsAlreadyInVault;

    private Deployment(
        JsonObject snapshot,
        IReadOnlyDictionary<string, string> secureParameters,
        IReadOnlyDictionary<string, string> secretsAlreadyInVault)
    {
        _snapshot = snapshot;
        _secureParameters = secureParameters;
        _secretsAlreadyInVault = secretsAlreadyInVault;
    }

    /// <summary>infra/main.bicepparam as shipped, on its first deployment: a new signing key is passed.</summary>
    public static Deployment Shipped => ShippedDeployment.Value;

    /// <summary>
    /// A later deployment in the middle of a key rotation, on a custom domain, in bearer mode with a cross-site
    /// frontend, and with no signing key passed: the new key was put in the vault by an earlier deployment. It also
    /// moves every other infrastructure parameter off its default (a test environment: no purge protection).
    /// </summary>
    public static Deployment Rotation => RotationDeployment.Value;

    /// <summary>The SMTP password the rotation scenario passes, as a secure parameter.</summary>
    public const string SmtpPassword = "smtp secret from the Entra app";

    public static readonly string[] ScenarioNames = [nameof(Shipped), nameof(Rotation)];

    /// <summary>Every scenario, for theories that must hold for any parameter set.</summary>
    public static TheoryData<string> Scenarios => new(ScenarioNames);

    public static Deployment Named(string scenario) => scenario switch
    {
        nameof(Shipped) => Shipped,
        nameof(Rotation) => Rotation,
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
    };

    private static readonly Lazy<Deployment> ShippedDeployment = new(() => new Deployment(
        BicepCli.Snapshot("shipped", File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.bicepparam"))
            .Replace("using 'main.bicep'", "", StringComparison.Ordinal)),
        new Dictionary<string, string>
        {
            ["signingKey"] = SigningKeyRing.NewPrivateKey(),
            ["factorEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["smtpPassword"] = "",
        },
        new Dictionary<string, string>()));

    private static readonly Lazy<Deployment> RotationDeployment = new(() => new Deployment(
        BicepCli.Snapshot("rotation", """
            param environmentName = 'rotation'
            param signingKeyId = 'key-2026.11_b'
            param previousSigningKeyId = 'key-1'
            param apiHostName = 'api.example.com'
            param allowedOrigins = ['https://app.example.com', 'https://admin.example.com']
            param tokenTransport = 'Bearer'
            param tokenAudience = 'https://api.example.com'
            param maximumInstanceCount = 50
            param instanceMemoryMB = 4096
            param tablePrefix = 'Auth'
            param maxRequestBodyBytes = 32768
            param storageSku = 'Standard_GZRS'
            param keyVaultPurgeProtection = false
            param smtpHost = 'smtp.azurecomm.net'
            param smtpPassword = readEnvironmentVariable('FUNCSESSIONS_SMTP_PASSWORD', '')
            param smtpUser = 'funcsessions-acs.00000000-0000-0000-0000-000000000001.00000000-0000-0000-0000-000000000002'
            param emailLinkBaseUrl = 'https://app.example.com/'
            param emailFromAddress = 'DoNotReply@mail.example.com'
            param requireVerifiedEmail = 'true'
            """),
        new Dictionary<string, string> { ["signingKey"] = "", ["factorEncryptionKey"] = "", ["smtpPassword"] = SmtpPassword },
        new Dictionary<string, string>
        {
            ["signing-key-key-2026-11-b"] = SigningKeyRing.NewPrivateKey(),
            ["signing-key-key-1"] = SigningKeyRing.NewPrivateKey(),
            ["factor-encryption-key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }));

    /// <summary>Another parameter set, for tests of one parameter's effect.</summary>
    public static Deployment Of(
        string scenario,
        string parameters,
        IReadOnlyDictionary<string, string> secureParameters,
        IReadOnlyDictionary<string, string> secretsAlreadyInVault) =>
        new(BicepCli.Snapshot(scenario, parameters), secureParameters, secretsAlreadyInVault);

    public IEnumerable<JsonObject> Resources =>
        _snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject());

    public JsonObject Outputs => _snapshot["outputs"]!.AsObject();

    /// <summary>The resources of a type that this deployment creates or updates (conditions evaluated).</summary>
    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => (string?)r["type"] == type && (r["condition"] is null || Evaluate(r["condition"]) == "True"));

    public JsonObject Single(string type) => Assert.Single(OfType(type));

    public JsonObject FunctionApp => Single("Microsoft.Web/sites");

    public JsonObject Identity => Single("Microsoft.ManagedIdentity/userAssignedIdentities");

    public string IdentityId => (string)Identity["id"]!;

    /// <summary>The app settings with every expression evaluated, Key Vault references still unresolved.</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        Single("Microsoft.Web/sites/config")["properties"]!.AsObject()
            .ToDictionary(p => p.Key, p => Evaluate((string)p.Value!));

    /// <summary>
    /// The app settings as the app reads them: Key Vault references replaced by the secret, as App Service does,
    /// from the secrets this deployment writes or the vault already held.
    /// </summary>
    public IReadOnlyDictionary<string, string> ResolvedAppSettings()
    {
        const string Prefix = "@Microsoft.KeyVault(SecretUri=";
        var vault = OfType("Microsoft.KeyVault/vaults/secrets")
            .ToDictionary(s => Evaluate(s["name"]).Split('/')[^1], s => Evaluate(s["properties"]!["value"]))
            .Concat(_secretsAlreadyInVault)
            .ToDictionary(s => FakeAzure.SecretUri(VaultName, s.Key), s => s.Value);
        return AppSettings.ToDictionary(
            s => s.Key,
            s => s.Value.StartsWith(Prefix, StringComparison.Ordinal)
                ? vault.TryGetValue(s.Value[Prefix.Length..^1], out var secret)
                    ? secret
                    : throw new InvalidOperationException($"{s.Key} references {s.Value}, which is not in the vault.")
                : s.Value);
    }

    public string VaultName => (string)Single("Microsoft.KeyVault/vaults")["name"]!;

    /// <summary>The final value of a snapshot string, with deploy-time values from <see cref="FakeAzure"/>.</summary>
    public string Evaluate(string value) => ArmExpression.Evaluate(value, _secureParameters);

    /// <summary>The final value if Azure answered <paramref name="runtimeProperty"/> (resource id, path) instead.</summary>
    public string EvaluateWith(JsonNode? value, Func<string, string, string> runtimeProperty) =>
        ArmExpression.Evaluate(
            (string?)value ?? throw new ArgumentNullException(nameof(value)), _secureParameters, runtimeProperty);

    public string Evaluate(JsonNode? value) => Evaluate((string?)value ?? throw new ArgumentNullException(nameof(value)));
}
