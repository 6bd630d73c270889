using FuncSessions.Tokens;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.Http;

/// <summary>The public signing keys, for APIs that verify access tokens offline.</summary>
public sealed class KeyEndpoints(SigningKeyRing signingKeys)
{
    public Task<IResult> JwksAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Task.FromResult<IResult>(TypedResults.Json(JsonWebKeySet.From(signingKeys), FuncSessionsJsonContext.Default.JsonWebKeySet));
    }
}
