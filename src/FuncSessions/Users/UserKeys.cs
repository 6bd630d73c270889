using System.Security.Cryptography;
using System.Text;

namespace FuncSessions.Users;

/// <summary>
/// Keys of the rows in the users table. Escaped keys never contain '|' (it is always escaped), so the prefixed forms
/// (<c>h|</c> hashed username, <c>u|</c> email-only or external-only account, <c>e|</c> email index, <c>i|</c> user-id index,
/// <c>x|</c> external identity index) can never meet a username's key.
/// </summary>
public static class UserKeys
{
    private const int MaxKeyLength = 512;

    // Note: keys may not contain / \ # ? or control characters; escaping keeps any Unicode name storable. Escaping can
    // grow a 64-character name past the key limit (1 KiB: 512 characters), so a longer escaped form is replaced by a
    // SHA-256 of the name, and every name that was storable before keeps the key it was stored under.
    public static string ForUsername(string normalizedUsername) => Escaped(normalizedUsername, "h|");

    /// <summary>The row of an account registered with an email address alone.</summary>
    public static string ForUserId(string userId) => "u|" + userId;

    /// <summary>
    /// The index row that maps a user id to its account row (written at registration): administrators find accounts by
    /// id, which is what access tokens and logs correlate on.
    /// </summary>
    public static string ForUserIdIndex(string userId) => "i|" + userId;

    /// <summary>The index row that maps an address to its account.</summary>
    public static string ForEmail(string normalizedEmail) => Escaped(normalizedEmail, "e|h|", "e|");

    /// <summary>The index row that maps a provider's subject to the account it signs in to.</summary>
    public static string ForExternalIdentity(string provider, string subject) => Escaped(provider + "|" + subject, "x|h|", "x|");

    private static string Escaped(string value, string hashPrefix, string prefix = "")
    {
        var escaped = prefix + Uri.EscapeDataString(value);
        return escaped.Length <= MaxKeyLength
            ? escaped
            : hashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}
