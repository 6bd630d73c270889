using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Http;

/// <summary>
/// The client's address: the connection's, or behind trusted proxies the entry <c>ForwardedForHops</c> from the right
/// of the configured forwarded-for header (ASVS 4.1.3: entries a client can write itself are never used). Null only
/// when not even the connection has one; the throttle then counts the request in a shared "unknown" bucket.
/// </summary>
public sealed class ClientAddress(IOptions<HttpOptions> options)
{
    public string? Of(HttpContext context)
    {
        var header = options.Value.ForwardedForHeader;
        if (header.Length == 0)
        {
            return context.Connection.RemoteIpAddress?.ToString();
        }

        // Note: several header lines count as one comma-separated list, in order.
        var entries = string.Join(',', context.Request.Headers[header].ToArray())
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var hops = options.Value.ForwardedForHops;
        if (entries.Length < hops)
        {
            return context.Connection.RemoteIpAddress?.ToString();
        }

        // Note: proxies may append a port ("203.0.113.7:51234", "[2001:db8::1]:443"). An entry that is no address
        // (RFC 7239's "unknown", an obfuscated "_hidden" token) falls back to the connection's address, the proxy's:
        // such clients share its budget, never "no limit".
        var entry = entries[^hops];
        return IPEndPoint.TryParse(entry, out var endPoint) ? endPoint.Address.ToString() : context.Connection.RemoteIpAddress?.ToString();
    }
}
