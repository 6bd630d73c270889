using System.Globalization;
using System.Text;

namespace FuncSessions.Email;

/// <summary>
/// Address rules: trimmed, NFKC, the domain lower-cased; the local part is kept as typed for display and compared
/// case-insensitively, so "Alice@Example.com" and "alice@EXAMPLE.COM" are one address.
/// </summary>
public static class EmailAddresses
{
    /// <summary>RFC 5321's limit on a path, less the angle brackets.</summary>
    public const int MaxLength = 254;

    /// <summary>The display form (trimmed, NFKC, domain lower-cased) or null when it is not a plausible address.</summary>
    public static string? Clean(string? address)
    {
        if (address is null || address.Length > MaxLength * 4)
        {
            return null;
        }

        var cleaned = address.Trim().Normalize(NormalizationForm.FormKC);
        var at = cleaned.LastIndexOf('@');
        // Note: deliberately loose (one '@', something either side, a dot in the domain, no spaces or controls): the
        // link sent to it is the real check, and a stricter grammar only refuses addresses that work.
        if (cleaned.Length > MaxLength || at < 1 || at == cleaned.Length - 1 || cleaned.IndexOf('@') != at
            || !cleaned[(at + 1)..].Contains('.') || cleaned.EndsWith('.')
            || cleaned.EnumerateRunes().Any(r => Rune.IsControl(r) || Rune.IsWhiteSpace(r) || Rune.GetUnicodeCategory(r) == UnicodeCategory.Format))
        {
            return null;
        }

        return cleaned[..at] + "@" + cleaned[(at + 1)..].ToLowerInvariant();
    }

    /// <summary>The index key of an already <see cref="Clean"/>ed address.</summary>
    public static string Normalize(string cleaned) => cleaned.ToLowerInvariant().Normalize(NormalizationForm.FormKC);
}
