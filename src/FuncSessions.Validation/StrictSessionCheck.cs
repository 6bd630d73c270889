using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FuncSessions.Validation;

/// <summary>
/// Strict mode: asks the FuncSessions app's <c>validate</c> whether a session is still live, and reuses the answer
/// for that session for <see cref="FuncSessionsVerifierOptions.StrictModeCacheDuration"/>. A failed call refuses
/// the request (fail closed) and is not cached.
/// </summary>
internal sealed class StrictSessionCheck(FuncSessionsVerifierOptions options, Func<HttpClient> httpClients, TimeProvider time, ILogger logger)
{
    private const int MaxCachedSessions = 10_000;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly Uri _validateUri = options.Endpoint("api/auth/validate");
    private readonly ConcurrentDictionary<string, (bool Live, DateTimeOffset Until)> _answers = new(StringComparer.Ordinal);

    /// <summary>Whether the session of <paramref name="accessToken"/> (already verified offline) is live.</summary>
    public async Task<bool> IsLiveAsync(string accessToken, string sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_answers.TryGetValue(sessionId, out var cached) && now < cached.Until)
        {
            return cached.Live;
        }

        bool live;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, _validateUri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await httpClients().SendAsync(request, timeout.Token);
            live = response.StatusCode switch
            {
                HttpStatusCode.OK => true,
                HttpStatusCode.Unauthorized => false,
                _ => throw new HttpRequestException($"validate answered {(int)response.StatusCode}.", null, response.StatusCode),
            };
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.StrictCheckFailed(e);
            return false;
        }

        if (!live)
        {
            logger.StrictSessionEnded(Hash(sessionId));
        }

        if (options.StrictModeCacheDuration > TimeSpan.Zero)
        {
            // Note: a crude bound on memory; losing the cache only costs extra validate calls.
            if (_answers.Count >= MaxCachedSessions)
            {
                _answers.Clear();
            }

            _answers[sessionId] = (live, now + options.StrictModeCacheDuration);
        }

        return live;
    }

    private static string Hash(string id) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("FuncSessions log hash v1|" + id)), 0, 8).ToLowerInvariant();
}
