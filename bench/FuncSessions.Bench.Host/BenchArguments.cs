using System.Globalization;

namespace FuncSessions.Bench;

/// <summary>"--name value" pairs from the command line.</summary>
public sealed class BenchArguments(IReadOnlyDictionary<string, string> values)
{
    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new BenchArguments(values);
    }

    public string Get(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"Missing --{name}.");

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int GetInt(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<int> GetInts(string name, string fallback) =>
        Get(name, fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
}
