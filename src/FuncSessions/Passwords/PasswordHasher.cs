using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace FuncSessions.Passwords;

public enum PasswordVerification
{
    Failed,
    Succeeded,
    SucceededRehashNeeded,
}

/// <summary>
/// Password hashes in self-describing formats, so the algorithm and its cost can change and old hashes be upgraded at
/// login: Argon2id in the PHC string format <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c> (what
/// libsodium's and the reference implementation's verifiers read), and PBKDF2-HMAC-SHA256 as
/// <c>$pbkdf2-sha256$i=600000$&lt;salt&gt;$&lt;hash&gt;</c>. New hashes use <see cref="PasswordOptions.Algorithm"/>;
/// both kinds always verify. Argon2id comes from libsodium through NSec (README, Passwords, says why NSec).
/// </summary>
public sealed class PasswordHasher
{
    private const string Pbkdf2Prefix = "$pbkdf2-sha256$i=";
    private const string Argon2idPrefix = "$argon2id$v=19$";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string DummyPassword = "FuncSessions dummy password for unknown users";

    // Note: bounds on what a stored hash may ask for, so a tampered row cannot make one login take minutes or gigabytes.
    private const int MaxStoredPbkdf2Iterations = 100_000_000;
    private const int MaxStoredArgon2idMemoryKiB = 4_194_304;
    private const int MaxStoredArgon2idIterations = 64;

    private readonly PasswordOptions _options;
    private readonly Dictionary<PasswordHashAlgorithm, Lazy<StoredHash>> _dummies;
    private readonly VerificationCosts _costs = new();

    public PasswordHasher(IOptions<PasswordOptions> options)
    {
        _options = options.Value;
        _dummies = Enum.GetValues<PasswordHashAlgorithm>().ToDictionary(a => a, a => new Lazy<StoredHash>(() =>
        {
            var started = Stopwatch.GetTimestamp();
            var dummy = Parse(Hash(DummyPassword, a))!.Value;
            _costs.Record(a, Stopwatch.GetElapsedTime(started));
            return dummy;
        }));
    }

    /// <summary>A new hash of <paramref name="password"/> with the configured algorithm and cost.</summary>
    public string Hash(string password) => Hash(password, _options.Algorithm);

    /// <summary>A new hash with <paramref name="algorithm"/> at the configured cost (measure-hash times both).</summary>
    public string Hash(string password, PasswordHashAlgorithm algorithm)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var stored = algorithm == PasswordHashAlgorithm.Argon2id
            ? new StoredHash(algorithm, _options.Argon2idIterations, _options.Argon2idMemoryKiB, salt, [])
            : new StoredHash(algorithm, _options.Pbkdf2Iterations, 0, salt, []);
        return Format(stored with { Hash = Derive(password, stored) });
    }

    /// <summary>
    /// Verifies <paramref name="password"/> against <paramref name="storedHash"/>. With no stored hash (unknown user)
    /// it verifies against a dummy hash of the configured algorithm and cost and fails, so an unknown user costs what a
    /// current user's wrong password does. A success with another algorithm or a lower cost than configured asks for a
    /// rehash.
    /// </summary>
    public PasswordVerification Verify(string password, string? storedHash)
    {
        var started = Stopwatch.GetTimestamp();
        var parsed = storedHash is null ? null : Parse(storedHash);
        var stored = parsed ?? _dummies[_options.Algorithm].Value;
        var matches = CryptographicOperations.FixedTimeEquals(Derive(password, stored), stored.Hash);
        _costs.Record(stored.Algorithm, Stopwatch.GetElapsedTime(started));
        if (parsed is null || !matches)
        {
            // Note: every algorithm's cost is known from the first failure on, so SlowestVerification covers them all.
            foreach (var dummy in _dummies.Values)
            {
                _ = dummy.Value;
            }

            return PasswordVerification.Failed;
        }

        return NeedsRehash(stored) ? PasswordVerification.SucceededRehashNeeded : PasswordVerification.Succeeded;
    }

    /// <summary>
    /// About the longest a verification takes here, over every algorithm a stored hash can be in (a moving average of
    /// the verifications seen). A failed login is answered no sooner than this after its verification began, so a
    /// wrong password for an account still on a PBKDF2 hash takes as long as one for any other account or name.
    /// </summary>
    public TimeSpan SlowestVerification => _costs.Slowest;

    private bool NeedsRehash(StoredHash stored) => stored.Algorithm != _options.Algorithm || stored.Algorithm switch
    {
        PasswordHashAlgorithm.Argon2id => stored.MemoryKiB < _options.Argon2idMemoryKiB || stored.Iterations < _options.Argon2idIterations,
        _ => stored.Iterations < _options.Pbkdf2Iterations,
    };

    // Note: NFKC so that the same password typed on different keyboards/IMEs verifies (NIST 800-63B-4 §3.1.1.2);
    // the whole normalised string is hashed — nothing is truncated.
    private static byte[] Derive(string password, StoredHash stored)
    {
        var bytes = Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC));
        if (stored.Algorithm == PasswordHashAlgorithm.Pbkdf2)
        {
            return Rfc2898DeriveBytes.Pbkdf2(bytes, stored.Salt, stored.Iterations, HashAlgorithmName.SHA256, HashBytes);
        }

        // Note: libsodium's Argon2id has one lane (p = 1), which is what OWASP's minimum setting specifies.
        var argon2id = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = stored.MemoryKiB,
            NumberOfPasses = stored.Iterations,
        });
        return argon2id.DeriveBytes(bytes, stored.Salt, HashBytes);
    }

    private static string Format(StoredHash h) => h.Algorithm == PasswordHashAlgorithm.Argon2id
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Argon2idPrefix}m={h.MemoryKiB},t={h.Iterations},p=1${Base64NoPadding(h.Salt)}${Base64NoPadding(h.Hash)}")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Pbkdf2Prefix}{h.Iterations}${Base64Url.EncodeToString(h.Salt)}${Base64Url.EncodeToString(h.Hash)}");

    private static StoredHash? Parse(string stored)
    {
        if (stored.StartsWith(Pbkdf2Prefix, StringComparison.Ordinal))
        {
            var parts = stored[Pbkdf2Prefix.Length..].Split('$');
            if (parts.Length != 3 || !TryParseCount(parts[0], MaxStoredPbkdf2Iterations, out var iterations)
                || !Base64Url.IsValid(parts[1]) || !Base64Url.IsValid(parts[2]))
            {
                return null;
            }

            var salt = Base64Url.DecodeFromChars(parts[1]);
            var hash = Base64Url.DecodeFromChars(parts[2]);
            return salt.Length >= 8 && hash.Length == HashBytes ? new StoredHash(PasswordHashAlgorithm.Pbkdf2, iterations, 0, salt, hash) : null;
        }

        if (stored.StartsWith(Argon2idPrefix, StringComparison.Ordinal))
        {
            var parts = stored[Argon2idPrefix.Length..].Split('$');
            var parameters = parts[0].Split(',');
            if (parts.Length != 3 || parameters.Length != 3
                || !parameters[0].StartsWith("m=", StringComparison.Ordinal) || !TryParseCount(parameters[0][2..], MaxStoredArgon2idMemoryKiB, out var memory)
                || !parameters[1].StartsWith("t=", StringComparison.Ordinal) || !TryParseCount(parameters[1][2..], MaxStoredArgon2idIterations, out var iterations)
                || parameters[2] != "p=1" || memory < 8
                || FromBase64NoPadding(parts[1]) is not { Length: SaltBytes } salt || FromBase64NoPadding(parts[2]) is not { Length: HashBytes } hash)
            {
                return null;
            }

            return new StoredHash(PasswordHashAlgorithm.Argon2id, iterations, memory, salt, hash);
        }

        return null;
    }

    private static bool TryParseCount(string text, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;

    // Note: the PHC string format uses standard base64 without padding.
    private static string Base64NoPadding(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[]? FromBase64NoPadding(string text)
    {
        if (text.Length % 4 == 1 || text.Contains('=', StringComparison.Ordinal))
        {
            return null;
        }

        var padded = text + new string('=', (4 - text.Length % 4) % 4);
        var buffer = new byte[padded.Length / 4 * 3];
        return Convert.TryFromBase64String(padded, buffer, out var written) ? buffer[..written] : null;
    }

    private readonly record struct StoredHash(PasswordHashAlgorithm Algorithm, int Iterations, int MemoryKiB, byte[] Salt, byte[] Hash);

    /// <summary>Per algorithm, a moving average of how long a verification took.</summary>
    private sealed class VerificationCosts
    {
        private readonly long[] _ticks = new long[Enum.GetValues<PasswordHashAlgorithm>().Length];

        public TimeSpan Slowest
        {
            get
            {
                long slowest = 0;
                for (var i = 0; i < _ticks.Length; i++)
                {
                    slowest = Math.Max(slowest, Volatile.Read(ref _ticks[i]));
                }

                return TimeSpan.FromTicks(slowest);
            }
        }

        public void Record(PasswordHashAlgorithm algorithm, TimeSpan elapsed)
        {
            ref var slot = ref _ticks[(int)algorithm];
            var current = Volatile.Read(ref slot);
            // Note: one sample moves the average a quarter of the way, and counts at most twice the average, so a single
            // stall (a GC pause, a burst of load) cannot make every failed login wait long afterwards.
            var sample = current == 0 ? elapsed.Ticks : Math.Min(elapsed.Ticks, 2 * current);
            Volatile.Write(ref slot, current == 0 ? sample : current + (sample - current) / 4);
        }
    }
}
