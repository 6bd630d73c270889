using FuncSessions.Passwords;

namespace FuncSessions.Tests.Passwords;

public sealed class PasswordHashMeasurementTests
{
    [Fact]
    public void Run_TimesBothAlgorithmsAtTheConfiguredCost_AndMarksTheConfiguredOne()
    {
        var lines = PasswordHashMeasurement.Run(new PasswordOptions { Algorithm = PasswordHashAlgorithm.Pbkdf2, Pbkdf2Iterations = 1_000 });

        Assert.Collection(lines,
            argon2id => Assert.Matches(@"^Argon2id m=19,456 KiB, t=2, p=1: 19 MiB per concurrent hash, median [0-9.]+ ms per hash \(min [0-9.]+, max [0-9.]+, 7 runs\), CPU median [0-9.]+ ms$", argon2id),
            pbkdf2 => Assert.Matches(@"^PBKDF2-HMAC-SHA256 x 1,000 \(configured\): median [0-9.]+ ms per hash", pbkdf2));
    }
}
