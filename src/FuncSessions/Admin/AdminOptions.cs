using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace FuncSessions.Admin;

/// <summary>
/// The self-host's admin keys, bound from <c>FuncSessions:Admin</c>: <c>FuncSessions:Admin:Keys:{name}</c> = key. The
/// Functions app ignores this section: there the Functions host checks its own function and host keys.
/// </summary>
public sealed partial class AdminOptions : IValidatableObject
{
    public const string SectionName = "FuncSessions:Admin";

    /// <summary>
    /// Key name → key. The name is what audit events record; the key is never logged. None configured: the admin routes
    /// answer 404 on the self-host, as if they did not exist.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Shorter keys are refused at start-up: 32 characters is the least a generated key (base64 of 24 bytes) has.</summary>
    public const int MinimumKeyLength = 32;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, key) in Keys)
        {
            if (!KeyName().IsMatch(name))
            {
                yield return new ValidationResult(
                    $"{SectionName}:Keys: the key name '{name}' must be 1 to 64 letters, digits, '.', '_' or '-'.");
            }
            else if (string.IsNullOrEmpty(key) || key.Length < MinimumKeyLength)
            {
                yield return new ValidationResult(
                    $"{SectionName}:Keys:{name} must be at least {MinimumKeyLength} characters (e.g. openssl rand -base64 32).");
            }
        }

        if (Keys.Values.Distinct(StringComparer.Ordinal).Count() != Keys.Count)
        {
            yield return new ValidationResult($"{SectionName}:Keys: two names have the same key; give each its own so audit events tell them apart.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyName();
}
