using System.Text.Json;

namespace FuncSessions.Sessions;

/// <summary>
/// A session's custom data: a flat JSON object whose values are strings, numbers, booleans or arrays of those. It is
/// stored on the session row, returned by validate and written into every access token as top-level claims, so
/// other APIs read it offline. Immutable; keys are kept in ordinal order so equal data serializes identically.
/// </summary>
public sealed class SessionData
{
    private readonly SortedDictionary<string, JsonElement> _values;

    private SessionData(SortedDictionary<string, JsonElement> values) => _values = values;

    public static SessionData Empty { get; } = new(new SortedDictionary<string, JsonElement>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, JsonElement> Values => _values;

    /// <summary>Builds data from values already checked by <see cref="SessionDataRules"/>.</summary>
    public static SessionData From(IEnumerable<KeyValuePair<string, JsonElement>> values)
    {
        var copy = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            copy[key] = value.Clone();
        }

        return new SessionData(copy);
    }

    /// <summary>Reads the stored form written by <see cref="ToJson"/>; null or empty is no data.</summary>
    public static SessionData FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return Empty;
        }

        using var document = JsonDocument.Parse(json);
        return From(document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value)));
    }

    /// <summary>
    /// Applies a JSON Merge Patch (RFC 7396): a null value removes the key, any other value replaces it. With flat
    /// values this is a top-level merge; an array is replaced as a whole.
    /// </summary>
    public SessionData Merge(IReadOnlyDictionary<string, JsonElement> patch)
    {
        var merged = new SortedDictionary<string, JsonElement>(_values, StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value.Clone();
            }
        }

        return new SessionData(merged);
    }

    /// <summary>Compact UTF-8 JSON, the form stored on the row and the one the size limit counts.</summary>
    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in _values)
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public string ToJson() => System.Text.Encoding.UTF8.GetString(ToUtf8Json());
}
