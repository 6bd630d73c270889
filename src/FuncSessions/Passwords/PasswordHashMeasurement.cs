using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace FuncSessions.Passwords;

/// <summary>
/// What <c>measure-hash</c> prints: each algorithm at its configured cost, timed on one core (wall and process CPU,
/// median of 7 after a warm-up), the configured one marked, with Argon2id's memory per concurrent hash.
/// </summary>
public static class PasswordHashMeasurement
{
    private const int Runs = 7;

    public static IReadOnlyList<string> Run(PasswordOptions options)
    {
        var hasher = new PasswordHasher(Options.Create(options));
        return [.. Enum.GetValues<PasswordHashAlgorithm>().Select(algorithm =>
        {
            hasher.Hash("warm-up password for timing", algorithm);
            var process = Process.GetCurrentProcess();
            var samples = Enumerable.Range(0, Runs).Select(_ =>
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var started = Stopwatch.GetTimestamp();
                hasher.Hash("correct horse battery staple", algorithm);
                var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                process.Refresh();
                return (Wall: wall, Cpu: (process.TotalProcessorTime - cpu).TotalMilliseconds);
            }).ToList();
            var wall = samples.Select(s => s.Wall).Order().ToList();
            var cpu = samples.Select(s => s.Cpu).Order().ToList();
            var marker = algorithm == options.Algorithm ? " (configured)" : "";
            var setting = algorithm == PasswordHashAlgorithm.Argon2id
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Argon2id m={options.Argon2idMemoryKiB:N0} KiB, t={options.Argon2idIterations}, p=1{marker}: {options.Argon2idMemoryKiB / 1024.0:F0} MiB per concurrent hash, ")
                : string.Create(CultureInfo.InvariantCulture, $"PBKDF2-HMAC-SHA256 x {options.Pbkdf2Iterations:N0}{marker}: ");
            return setting + string.Create(CultureInfo.InvariantCulture,
                $"median {wall[Runs / 2]:F1} ms per hash (min {wall[0]:F1}, max {wall[^1]:F1}, {Runs} runs), CPU median {cpu[Runs / 2]:F1} ms");
        })];
    }
}
