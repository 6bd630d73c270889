using System.Text.Encodings.Web;
using System.Text.Json;

namespace FuncSessions.Sessions;

/// <summary>
/// A session's custom data: a flat JSON object whose values are strings, numbers, booleans or arrays of those. It is
/// stored on the session row, returned by validate and written into every access token as top-level claims, so
/// other APIs read it offline. Immutable; keys are kept in ordinal order so equal data serializes identically.
/// </summary>
public sealed class SessionData
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SortedDictionary<string, JsonElement> _values;
    private readonly byte[] _utf8Json;

    private SessionData(byte[] utf8Json)
    {
        _utf8Json = utf8Json;
        _values = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(utf8Json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            _values[property.Name] = property.Value.Clone();
        }
    }

    public static SessionData Empty { get; } = From([]);

    public IReadOnlyDictionary<string, JsonElement> Values => _values;

    /// <summary>
    /// Builds data from values already checked by <see cref="SessionDataRules"/>. The values are re-read from the
    /// compact form, so what the size limit counts is byte for byte what access tokens carry (no escapes kept from input).
    /// </summary>
    public static SessionData From(IEnumerable<KeyValuePair<string, JsonElement>> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return new SessionData(buffer.ToArray());
    }

    /// <summary>Reads the stored form written by <see cref="ToJson"/>; null or empty is no data.</summary>
    public static SessionData FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? Empty : new SessionData(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Applies a JSON Merge Patch (RFC 7396): a null value removes the key, any other value replaces it. With flat
    /// values this is a top-level merge; an array is replaced as a whole.
    /// </summary>
    public SessionData Merge(IReadOnlyDictionary<string, JsonElement> patch)
    {
        var merged = new Dictionary<string, JsonElement>(_values, StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return From(merged);
    }

    /// <summary>Compact UTF-8 JSON (non-ASCII kept as UTF-8), the form stored on the row and the one the size limit counts.</summary>
    public int Utf8Length => _utf8Json.Length;

    public string ToJson() => System.Text.Encoding.UTF8.GetString(_utf8Json);
}
