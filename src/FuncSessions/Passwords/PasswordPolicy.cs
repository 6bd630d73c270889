using System.Text;
using Microsoft.Extensions.Options;

namespace FuncSessions.Passwords;

/// <summary>
/// NIST SP 800-63B-4 §3.1.1.2: length rules (code points after NFKC, so an emoji is one character), no composition
/// rules, and a blocklist of common passwords and context words (the service name, the username), each rejection
/// with its reason. Matching uses the NFKC, lower-cased form, so "PassWord12345678" and its full-width twin match too.
/// </summary>
public sealed class PasswordPolicy(IOptions<PasswordOptions> options, CommonPasswords commonPasswords)
{
    // Note: shorter context words (a two-letter username) would reject too many good passphrases by accident.
    private const int MinContextWordLength = 4;

    private readonly PasswordOptions _options = options.Value;

    /// <summary>Null when acceptable, otherwise the problem code and a message that says how to fix it.</summary>
    public (string Code, string Detail)? Check(string password, string? username)
    {
        // Note: bound the work before normalising: NFKC can grow a string, but never by more than 18x.
        if (password.Length > _options.MaxLength * 4)
        {
            return TooLong();
        }

        var normalized = password.Normalize(NormalizationForm.FormKC);
        var length = normalized.EnumerateRunes().Count();
        if (length < _options.MinLength)
        {
            return ("password_too_short", $"The password must be at least {_options.MinLength} characters long.");
        }

        if (length > _options.MaxLength)
        {
            return TooLong();
        }

        var folded = Fold(normalized);
        if (commonPasswords.Contains(folded))
        {
            return ("password_blocklisted", "This password is on a list of commonly used passwords. Choose another one.");
        }

        foreach (var word in new[] { _options.ServiceName, username })
        {
            if (word is not null && Fold(word.Normalize(NormalizationForm.FormKC)) is { } foldedWord
                && foldedWord.EnumerateRunes().Count() >= MinContextWordLength && folded.Contains(foldedWord, StringComparison.Ordinal))
            {
                return ("password_contains_context",
                    word == username ? "The password must not contain the username." : $"The password must not contain '{word}'.");
            }
        }

        return null;
    }

    private static string Fold(string value) => value.ToLowerInvariant();

    private (string, string) TooLong() =>
        ("password_too_long", $"The password must be at most {_options.MaxLength} characters long.");
}
