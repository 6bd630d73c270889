using System.Text;
using Microsoft.Extensions.Options;

namespace FuncSessions.Passwords;

/// <summary>
/// Length rules only (NIST 800-63B-4: no composition rules). Length counts Unicode code points after NFKC,
/// so an emoji is one character, as NIST asks.
/// </summary>
public sealed class PasswordPolicy(IOptions<PasswordOptions> options)
{
    private readonly PasswordOptions _options = options.Value;

    /// <summary>Null when acceptable, otherwise the problem code and a message that says how to fix it.</summary>
    public (string Code, string Detail)? Check(string password)
    {
        // Note: bound the work before normalising: NFKC can grow a string, but never by more than 18x.
        if (password.Length > _options.MaxLength * 4)
        {
            return TooLong();
        }

        var length = password.Normalize(NormalizationForm.FormKC).EnumerateRunes().Count();
        if (length < _options.MinLength)
        {
            return ("password_too_short", $"The password must be at least {_options.MinLength} characters long.");
        }

        return length > _options.MaxLength ? TooLong() : null;
    }

    private (string, string) TooLong() =>
        ("password_too_long", $"The password must be at most {_options.MaxLength} characters long.");
}
