using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace FuncSessions.Sessions;

/// <summary>
/// What session data may hold. Keys become JWT claim names, so the names the token itself uses (and the registered
/// ones a verifier might act on) are refused: custom data must never be able to pose as the user, the session, the
/// audience or a lifetime.
/// </summary>
public sealed partial class SessionDataRules(IOptions<SessionOptions> options)
{
    private readonly HashSet<string> _clientWritable = ParseKeyList(options.Value.ClientWritableDataKeys);

    /// <summary>
    /// Claim names session data may not use: what our tokens carry (RFC 7519 registered claims, <c>sid</c>), JOSE header
    /// names, and RFC 9068 / OpenID Connect claims that verifiers interpret for authorization.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid", "typ", "alg", "kid", "cty", "crit", "jku", "jwk", "x5u", "x5c",
        "client_id", "scope", "scp", "azp", "auth_time", "acr", "amr", "cnf", "act", "may_act", "nonce", "at_hash", "c_hash", "s_hash",
        "email", "email_verified",
    };

    /// <summary>Longest array accepted as one value; bounds claims and parsing work.</summary>
    public const int MaxArrayLength = 64;

    /// <summary>Null when <paramref name="name"/> may be a data key, otherwise the problem code and detail.</summary>
    public static (string Code, string Detail)? CheckName(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            return ("invalid_session_data", $"'{Truncate(name)}' is not a valid key: use 1 to 64 letters, digits, '_', '-', '.' or ':', starting with a letter.");
        }

        return ReservedNames.Contains(name) ? ("reserved_claim_name", $"'{name}' is a reserved claim name.") : null;
    }

    /// <summary>Null when the value is a string, number, boolean or a short array of those; <c>null</c> only where it means "remove".</summary>
    public static (string Code, string Detail)? CheckValue(string name, JsonElement value, bool allowNull) => value.ValueKind switch
    {
        JsonValueKind.String when !IsText(value) => ("invalid_session_data", $"'{name}' is not valid Unicode text."),
        JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => null,
        JsonValueKind.Null when allowNull => null,
        JsonValueKind.Array when value.GetArrayLength() <= MaxArrayLength && value.EnumerateArray().All(IsScalar) => null,
        _ => ("invalid_session_data", $"'{name}' must be a string, number, boolean, or an array of at most {MaxArrayLength} of those."),
    };

    /// <summary>Checks every key and value of <paramref name="entries"/> (a patch when <paramref name="isPatch"/>).</summary>
    public static (string Code, string Detail)? CheckEntries(IReadOnlyDictionary<string, JsonElement> entries, bool isPatch)
    {
        foreach (var (name, value) in entries)
        {
            if ((CheckName(name) ?? CheckValue(name, value, allowNull: isPatch)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Null when the data fits the configured size limit.</summary>
    public (string Code, string Detail)? CheckSize(SessionData data)
    {
        var limit = options.Value.MaxDataBytes;
        return data.Values.Count > 0 && data.Utf8Length > limit
            ? ("session_data_too_large", $"Session data is limited to {limit} bytes of compact JSON.")
            : null;
    }

    /// <summary>Whether the client may change <paramref name="name"/> through <c>PATCH /api/auth/session</c>.</summary>
    public bool IsClientWritable(string name) => _clientWritable.Contains(name);

    /// <summary>The comma-separated key list of <see cref="SessionOptions.ClientWritableDataKeys"/>.</summary>
    public static HashSet<string> ParseKeyList(string? list) =>
        new((list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);

    private static bool IsScalar(JsonElement e) =>
        e.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False || (e.ValueKind is JsonValueKind.String && IsText(e));

    // Note: JSON may escape an unpaired surrogate ("\ud800"), which is not text and which no UTF-8 writer can write back
    // out: the session row and the access token would fail to serialize later.
    private static bool IsText(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Truncate(string name) => name.Length > 64 ? name[..64] + "…" : name;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.:-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
