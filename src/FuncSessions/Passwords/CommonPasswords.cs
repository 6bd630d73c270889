using System.Collections.Frozen;
using System.Text;

namespace FuncSessions.Passwords;

/// <summary>
/// The blocklist of common passwords shipped in <c>common-passwords.txt</c> (source and licence in
/// <c>common-passwords.md</c>): 17,950 lower-case entries of 8 or more characters, loaded once.
/// </summary>
public sealed class CommonPasswords
{
    private readonly FrozenSet<string> _passwords = Load();

    public int Count => _passwords.Count;

    /// <summary>Whether the already NFKC-normalised, case-folded password is on the list.</summary>
    public bool Contains(string foldedPassword) => _passwords.Contains(foldedPassword);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream("FuncSessions.Passwords.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var passwords = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                passwords.Add(line);
            }
        }

        return passwords.ToFrozenSet(StringComparer.Ordinal);
    }
}
