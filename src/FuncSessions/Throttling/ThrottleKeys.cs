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
    /// The key of an account's wrong second-factor codes, apart from its password failures: a correct password clears
    /// those, and must not give a code guesser a fresh budget.
    /// </summary>
    public static string SecondFactor(string userId) => Hash("f|" + userId);

    /// <summary>The key of the failed guesses (logins, refreshes) from a client address: see <see cref="Bucket"/>.</summary>
    public static string Client(string? address) => Hash("c|" + Bucket(address));

    /// <summary>The key of the registrations from a client address, a budget apart from its failed guesses.</summary>
    public static string Registrations(string? address) => Hash("r|" + Bucket(address));

    /// <summary>
    /// What an address counts as. IPv6 addresses count per /64, the block a single subscriber is usually given, so that
    /// one client cannot rotate through its own addresses. An absent or unparsable address counts in one shared
    /// "unknown" bucket: never as "no limit".
    /// </summary>
    private static string Bucket(string? address)
    {
        if (address is null || !IPAddress.TryParse(address, out var ip))
        {
            return "unknown";
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

        return ip.ToString();
    }

    private static string Hash(string value) =>
        "t" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 20).ToLowerInvariant();
}
