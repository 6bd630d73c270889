using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Admin;

public enum AdminKeyCheck
{
    /// <summary>No key configured: the admin API does not exist on this host (404).</summary>
    NotConfigured,

    /// <summary>No <c>x-functions-key</c> header (401).</summary>
    Missing,

    /// <summary>A key that matches none configured (403).</summary>
    Invalid,

    Valid,
}

/// <summary>
/// The self-host's stand-in for the Functions host's key check on <c>AuthorizationLevel.Function</c> routes: the
/// <c>x-functions-key</c> header against <see cref="AdminOptions.Keys"/>. Only SHA-256 digests are compared, with
/// <see cref="CryptographicOperations.FixedTimeEquals"/> and against every key (no early exit), so neither the time
/// taken nor the key's length tells how close a guess came or which key it was near.
/// </summary>
public sealed class AdminKeyGate
{
    public const string HeaderName = "x-functions-key";

    private readonly IReadOnlyList<(string Name, byte[] Digest)> _keys;

    public AdminKeyGate(IOptions<AdminOptions> options) =>
        _keys = [.. options.Value.Keys.Select(k => (k.Key, SHA256.HashData(Encoding.UTF8.GetBytes(k.Value))))];

    /// <summary>Whether the request carries a configured key, and that key's name when it does.</summary>
    public (AdminKeyCheck Check, string? KeyName) Check(HttpRequest request)
    {
        if (_keys.Count == 0)
        {
            return (AdminKeyCheck.NotConfigured, null);
        }

        if (request.Headers[HeaderName].ToString() is not { Length: > 0 } presented)
        {
            return (AdminKeyCheck.Missing, null);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var (name, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, expected))
            {
                match = name;
            }
        }

        return match is null ? (AdminKeyCheck.Invalid, null) : (AdminKeyCheck.Valid, match);
    }
}
