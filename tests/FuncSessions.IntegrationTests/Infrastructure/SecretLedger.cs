using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// Every secret an <see cref="ApiClient"/> sent to or received from one server: passwords, access and refresh tokens
/// (and their secret parts), emailed link tokens (reset, verification, email change), cookie values, and raw session
/// and user ids. <see cref="SelfHostServer"/> checks its
/// captured logs against them when it stops (case 40), so every integration test doubles as a log-leak test.
/// </summary>
public sealed class SecretLedger
{
    // Note: shorter values (a 14-character password in a too-short test is long enough) could match log text by chance.
    private const int MinLength = 8;

    private static readonly string[] SecretRequestFields = ["password", "currentPassword", "newPassword", "refreshToken", "token", "recoveryCode", "secondFactorToken"];
    private static readonly string[] SecretResponseFields = ["accessToken", "refreshToken", "secondFactorToken", "secret", "otpAuthUri"];
    private static readonly string[] IdFields = ["sessionId", "userId", "id"];

    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Secrets => _secrets;

    /// <summary>Forgets every secret, for a test that planted one on purpose.</summary>
    public void Clear() => _secrets.Clear();

    public void Add(string? value, string kind)
    {
        if (value is { Length: >= MinLength })
        {
            _secrets.TryAdd(value, kind);
        }
    }

    public async Task RecordRequestAsync(HttpRequestMessage request)
    {
        if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } bearer })
        {
            AddToken(bearer);
        }

        if (request.Content is not null)
        {
            RecordJson(await request.Content.ReadAsStringAsync(), SecretRequestFields, []);
        }
    }

    public async Task RecordResponseAsync(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies)
            {
                var nameValue = cookie.Split(';')[0];
                AddToken(nameValue[(nameValue.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            }
        }

        RecordJson(await response.Content.ReadAsStringAsync(), SecretResponseFields, IdFields);
    }

    private void RecordJson(string text, string[] secretFields, string[] idFields)
    {
        try
        {
            Walk(JsonNode.Parse(text), secretFields, idFields);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Note: not JSON, or a string that is not text (an escaped unpaired surrogate): nothing the server could
            // have taken as a secret.
        }
        catch (ArgumentException)
        {
            // Note: an object with a duplicate member name (the fuzzer sends them): record the text's string values by
            // parsing it as a token stream instead, so every value it sent is still in the ledger.
            RecordTokens(text, secretFields);
        }
    }

    private void RecordTokens(string text, string[] secretFields)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
        string? name = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    name = reader.GetString();
                }
                else if (reader.TokenType == JsonTokenType.String && name is not null && secretFields.Contains(name) && reader.GetString() is { } value)
                {
                    AddToken(value);
                    Add(value, name);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Note: as above: from here on the text is no JSON (or no text) the server could take a secret from.
        }
    }

    private void Walk(JsonNode? node, string[] secretFields, string[] idFields)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        if (secretFields.Contains(name))
                        {
                            AddToken(text);
                            Add(text, name);
                        }
                        else if (idFields.Contains(name))
                        {
                            Add(text, "raw id");
                        }
                    }
                    else if (name == "recoveryCodes" && value is JsonArray codes)
                    {
                        foreach (var code in codes)
                        {
                            Add((string?)code, "recovery code");
                        }
                    }
                    else
                    {
                        Walk(value, secretFields, idFields);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item, secretFields, idFields);
                }

                break;
        }
    }

    /// <summary>A token and its last dot-separated part (a JWT's signature, a refresh token's secret).</summary>
    private void AddToken(string token)
    {
        Add(token, "token");
        Add(token.Split('.')[^1], "token part");
    }
}
