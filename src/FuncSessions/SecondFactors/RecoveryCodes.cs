using System.Security.Cryptography;
using FuncSessions.Sessions;

namespace FuncSessions.SecondFactors;

/// <summary>
/// Ten single-use recovery codes of 60 random bits each (<c>xxxx-xxxx-xxxx</c>, an alphabet without look-alikes). Only
/// hashes are stored: a fast SHA-256 suffices because the codes are random, not chosen (ASVS 6.5.2), and the user id
/// in the hash keeps one user's hash from matching anyone else's code.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;

    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static IReadOnlyList<string> Generate() =>
        [.. Enumerable.Range(0, Count).Select(_ =>
            string.Join('-', Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetString(Alphabet, 4))))];

    /// <summary>The stored form of a code as the user typed it: case, spaces and dashes do not matter.</summary>
    public static string Hash(string userId, string code) =>
        SecureIds.Hash("rc|" + userId + "|" + new string([.. code.ToLowerInvariant().Where(c => c is not ('-' or ' '))]));
}
