using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace FuncSessions.Validation;

/// <summary>
/// The FuncSessions app's public keys, fetched from its JWKS and looked up by <c>kid</c>. Fetches are single-flight
/// (concurrent callers share one request) and at most one per <see cref="FuncSessionsVerifierOptions.KeySetMinimumRefreshInterval"/>,
/// whatever the callers ask for, so tokens with made-up kids cannot turn this into a fetch storm against the app.
/// </summary>
internal sealed class SigningKeyCache(
    FuncSessionsVerifierOptions options, Func<HttpClient> httpClients, TimeProvider time, ILogger logger)
{
    private const int MaxKeySetBytes = 64 * 1024;
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly Uri _jwksUri = options.Endpoint("api/auth/jwks");
    private readonly Lock _gate = new();
    // Note: replaced whole, never mutated, so readers need no lock.
    private volatile KeySet _current = new(new Dictionary<string, ECDsaSecurityKey>(), null);
    private DateTimeOffset? _lastAttemptAt;
    private Task? _inFlight;

    /// <summary>The key with this <c>kid</c>, fetching the key set first when it is stale or lacks the kid (rate limits allowing).</summary>
    public async Task<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = _current;
        var fresh = current.FetchedAt is { } fetchedAt && now - fetchedAt < options.KeySetCacheDuration;
        if (fresh && current.Keys.TryGetValue(kid, out var key))
        {
            return key;
        }

        if (StartFetchIfAllowed(now) is { } fetch)
        {
            await fetch.WaitAsync(cancellationToken);
        }

        return _current.Keys.GetValueOrDefault(kid);
    }

    private Task? StartFetchIfAllowed(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_inFlight is { IsCompleted: false })
            {
                return _inFlight;
            }

            if (_lastAttemptAt is { } last && now - last < options.KeySetMinimumRefreshInterval)
            {
                return null;
            }

            _lastAttemptAt = now;
            // Note: not tied to any caller's cancellation: other callers may be waiting on the same fetch.
            _inFlight = FetchAsync();
            return _inFlight;
        }
    }

    private async Task FetchAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(FetchTimeout);
            using var response = await httpClients().GetAsync(_jwksUri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > MaxKeySetBytes)
            {
                throw new InvalidDataException($"The key set is larger than {MaxKeySetBytes} bytes.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var limited = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                if (limited.Length + read > MaxKeySetBytes)
                {
                    throw new InvalidDataException($"The key set is larger than {MaxKeySetBytes} bytes.");
                }

                limited.Write(buffer, 0, read);
            }

            var keys = Parse(limited.ToArray());
            // Note: the new set replaces the old one whole: a key the app no longer publishes (retired) stops verifying.
            _current = new KeySet(keys, time.GetUtcNow());
            logger.KeySetFetched(keys.Count, _jwksUri);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or InvalidDataException
                                      or FormatException or CryptographicException or KeyNotFoundException or InvalidOperationException)
        {
            // Note: keep the keys held: an unreachable app must not stop verification of tokens it already signed.
            logger.KeySetFetchFailed(_jwksUri, _current.Keys.Count, e);
        }
    }

    /// <summary>ES256 signing keys only (kty EC, crv P-256); anything else in the set is ignored, never trusted.</summary>
    private static Dictionary<string, ECDsaSecurityKey> Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var keys = new Dictionary<string, ECDsaSecurityKey>(StringComparer.Ordinal);
        foreach (var jwk in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            if (Member(jwk, "kty") != "EC" || Member(jwk, "crv") != "P-256"
                || Member(jwk, "alg") is not (null or SecurityAlgorithms.EcdsaSha256)
                || Member(jwk, "use") is not (null or "sig")
                || Member(jwk, "kid") is not { Length: > 0 } kid
                || Member(jwk, "x") is not { } x || Member(jwk, "y") is not { } y)
            {
                continue;
            }

            var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64Url.DecodeFromChars(x), Y = Base64Url.DecodeFromChars(y) },
            });
            keys[kid] = new ECDsaSecurityKey(ecdsa) { KeyId = kid };
        }

        return keys;
    }

    private static string? Member(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record KeySet(IReadOnlyDictionary<string, ECDsaSecurityKey> Keys, DateTimeOffset? FetchedAt);
}
