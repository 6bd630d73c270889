using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace FuncSessions.Throttling;

/// <summary>
/// Row keys of the throttle table: a SHA-256 of what is counted, so that names typed at login (which may be
/// passwords typed into the wrong field) and client addresses are not stored in the clear.
/// </summary>
public static class ThrottleKeys
{
    /// <summary>The key of a login name as the user typed it: normalised the way accounts are looked up.</summary>
    public static string Account(string normalizedUsername) => Hash("a|" + normalizedUsername);

    /// <summary>
    /// The key of a client address. IPv6 addresses count per /64, the block a single subscriber is usually given,
    /// so that one client cannot rotate through its own addresses; null for an unknown address.
    /// </summary>
    public static string? Client(string? address)
    {
        if (address is null || !IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = ip.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            ip = new IPAddress(bytes);
        }

        return Hash("c|" + ip);
    }

    private static string Hash(string value) =>
        "t" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 20).ToLowerInvariant();
}
