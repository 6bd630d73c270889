using System.Security.Cryptography;
using System.Text;

namespace FuncSessions.Sessions;

/// <summary>
/// What logs carry instead of a session or user id (OWASP Session Management cheat sheet): a truncated salted
/// SHA-256. The ids are 128-bit random values, so the hash cannot be reversed by enumeration, yet the same id
/// always logs the same way and events of one session can be correlated.
/// </summary>
public static class LogHash
{
    private static readonly byte[] Salt = "FuncSessions log hash v1|"u8.ToArray();

    public static string Of(string id) =>
        Convert.ToHexString(SHA256.HashData([.. Salt, .. Encoding.UTF8.GetBytes(id)]), 0, 8).ToLowerInvariant();
}
