using System.Globalization;
using System.Text;

namespace FuncSessions.Users;

/// <summary>Username rules: case-insensitive and NFKC-normalised, so "Alice", "ALICE" and "Ａｌｉｃｅ" are one account.</summary>
public static class Usernames
{
    public const int MaxLength = 64;

    /// <summary>The display form (trimmed, NFKC) or null when the name is empty, too long or has control/space characters.</summary>
    public static string? Clean(string? username)
    {
        if (username is null || username.Length > MaxLength * 4)
        {
            return null;
        }

        var cleaned = username.Trim().Normalize(NormalizationForm.FormKC);
        var runes = cleaned.EnumerateRunes().ToList();
        if (runes.Count is 0 or > MaxLength
            || runes.Any(r => Rune.IsControl(r) || Rune.IsWhiteSpace(r) || Rune.GetUnicodeCategory(r) == UnicodeCategory.Format))
        {
            return null;
        }

        return cleaned;
    }

    /// <summary>The lookup key of an already <see cref="Clean"/>ed name.</summary>
    public static string Normalize(string cleaned) => cleaned.ToLowerInvariant().Normalize(NormalizationForm.FormKC);
}
