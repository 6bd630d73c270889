using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Tests.Throttling;
using FuncSessions.Tests.Tokens;
using FuncSessions.Throttling;
using FuncSessions.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FuncSessions.Tests.Users;

public sealed class UserAccountsTests
{
    private const string Password = "correct horse battery staple";

    private readonly InMemoryUserStore _store = new();
    private static readonly ClientInfo Client = ClientInfo.Create("test", "192.0.2.1");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryThrottleStore _throttles = new();

    private UserAccounts Accounts(int iterations = 1_000, IUserStore? store = null) =>
        Accounts(new PasswordOptions { Algorithm = PasswordHashAlgorithm.Pbkdf2, Pbkdf2Iterations = iterations }, store);

    private UserAccounts Accounts(PasswordOptions passwords, IUserStore? store = null) => new(
        store ?? _store, new PasswordHasher(Options.Create(passwords)), new HashingSlots(Options.Create(passwords), _time),
        new AccountThrottle(_throttles, Options.Create(new ThrottleOptions()), _time), new LogHash(TestKeys.Ring(TestKeys.Options(TestKeys.NewKey("k1")))),
        _time, NullLogger<UserAccounts>.Instance);

    [Fact]
    public async Task RegisterAsync_StoresCleanedNameNormalisedKeyAndHashNotPassword()
    {
        var (outcome, user) = await Accounts().RegisterAsync("  Ａｌｉｃｅ ", Password, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Created, outcome);
        var stored = Assert.IsType<UserAccount>(_store["alice"]);
        Assert.Equal(user!.UserId, stored.UserId);
        Assert.True(SecureIds.IsWellFormedId(stored.UserId));
        Assert.Equal("Alice", stored.Username);
        Assert.StartsWith("$pbkdf2-sha256$i=1000$", stored.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stored.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(_time.GetUtcNow(), stored.CreatedAt);
    }

    [Fact]
    public async Task RegisterAsync_ReturnsUsernameTakenWhenNameDiffersOnlyInCaseOrWidth()
    {
        var accounts = Accounts();
        await accounts.RegisterAsync("alice", Password, CancellationToken.None);

        var (outcome, user) = await accounts.RegisterAsync("ＡＬＩＣＥ", "another long password", CancellationToken.None);

        Assert.Equal(RegistrationOutcome.UsernameTaken, outcome);
        Assert.Null(user);
    }

    [Fact]
    public async Task RegisterAsync_ReturnsInvalidUsernameWhenNameHasSpace()
    {
        var (outcome, _) = await Accounts().RegisterAsync("ali ce", Password, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.InvalidUsername, outcome);
    }

    [Fact]
    public async Task VerifyCredentialsAsync_ReturnsUserWhenNameVariantAndPasswordMatch()
    {
        var accounts = Accounts();
        var (_, registered) = await accounts.RegisterAsync("Alice", Password, CancellationToken.None);

        var user = (await accounts.VerifyCredentialsAsync("ALICE", Password, Client, CancellationToken.None)).User;

        Assert.Equal(registered!.UserId, user?.UserId);
    }

    [Theory]
    [InlineData("alice", "wrong password, long enough")]
    [InlineData("bob", Password)]
    [InlineData("", Password)]
    public async Task VerifyCredentialsAsync_ReturnsNullWhenUserOrPasswordIsWrong(string username, string password)
    {
        var accounts = Accounts();
        await accounts.RegisterAsync("alice", Password, CancellationToken.None);

        Assert.Null((await accounts.VerifyCredentialsAsync(username, password, Client, CancellationToken.None)).User);
    }

    [Fact]
    public async Task VerifyCredentialsAsync_UpgradesHashWhenIterationsWereRaised()
    {
        await Accounts(1_000).RegisterAsync("alice", Password, CancellationToken.None);

        var user = (await Accounts(2_000).VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None)).User;

        Assert.NotNull(user);
        Assert.StartsWith("$pbkdf2-sha256$i=2000$", _store["alice"]!.PasswordHash, StringComparison.Ordinal);
        Assert.NotNull((await Accounts(2_000).VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None)).User);
    }

    [Fact]
    public async Task VerifyCredentialsAsync_UpgradesAPbkdf2HashToArgon2id_AndTheUpgradedHashVerifies()
    {
        await Accounts(1_000).RegisterAsync("alice", Password, CancellationToken.None);
        var argon2id = new PasswordOptions();

        var user = (await Accounts(argon2id).VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None)).User;

        Assert.NotNull(user);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", _store["alice"]!.PasswordHash, StringComparison.Ordinal);
        Assert.NotNull((await Accounts(argon2id).VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None)).User);
    }

    [Fact]
    public async Task VerifyCredentialsAsync_LogsInButKeepsTheOldHash_WhenEverySlotIsBusyForTheUpgrade()
    {
        await Accounts(1_000).RegisterAsync("alice", Password, CancellationToken.None);
        var before = _store["alice"]!.PasswordHash;
        var options = new PasswordOptions { MaxConcurrentHashes = 1, HashQueueTimeout = TimeSpan.Zero };
        var slots = new HashingSlots(Options.Create(options), _time);
        IDisposable? taken = null;
        // Between the verification and the upgrade the login clears the name's failure count: take the slot right then.
        var throttles = new ThrottleStoreWithDeleteHook(_throttles, () => taken = slots.TryEnterAsync(CancellationToken.None).Result);
        var accounts = new UserAccounts(_store, new PasswordHasher(Options.Create(options)), slots,
            new AccountThrottle(throttles, Options.Create(new ThrottleOptions()), _time), new LogHash(TestKeys.Ring(TestKeys.Options(TestKeys.NewKey("k1")))),
            _time, NullLogger<UserAccounts>.Instance);
        await accounts.VerifyCredentialsAsync("alice", "wrong password, long enough", Client, CancellationToken.None);

        var user = (await accounts.VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None)).User;

        Assert.NotNull(taken);
        Assert.NotNull(user);
        Assert.Equal(before, _store["alice"]!.PasswordHash);
    }

    [Fact]
    public async Task VerifyCredentialsAsync_LeavesHashAloneWhenPasswordIsWrong()
    {
        await Accounts(1_000).RegisterAsync("alice", Password, CancellationToken.None);
        var before = _store["alice"]!.PasswordHash;

        await Accounts(2_000).VerifyCredentialsAsync("alice", "wrong password, long enough", Client, CancellationToken.None);

        Assert.Equal(before, _store["alice"]!.PasswordHash);
    }

    [Fact]
    public async Task ChangePasswordAsync_ReplacesPasswordWhenCurrentOneMatches()
    {
        var accounts = Accounts();
        await accounts.RegisterAsync("alice", Password, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1));

        var (outcome, changed, _) = await accounts.ChangePasswordAsync("alice", Password, "a brand new passphrase", Client, CancellationToken.None);

        Assert.Equal(PasswordChangeOutcome.Changed, outcome);
        Assert.NotNull(changed);
        Assert.Equal(_time.GetUtcNow(), _store["alice"]!.PasswordChangedAt);
        Assert.Null((await accounts.VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None)).User);
        Assert.NotNull((await accounts.VerifyCredentialsAsync("alice", "a brand new passphrase", Client, CancellationToken.None)).User);
    }

    [Fact]
    public async Task ChangePasswordAsync_SucceedsWhenLoginRehashedTheRowFirst()
    {
        await Accounts(1_000).RegisterAsync("alice", Password, CancellationToken.None);

        // Verifying the current password rewrites the row (rehash); the change must be based on that new version.
        var (outcome, _, _) = await Accounts(2_000).ChangePasswordAsync("alice", Password, "a brand new passphrase", Client, CancellationToken.None);

        Assert.Equal(PasswordChangeOutcome.Changed, outcome);
        Assert.NotNull((await Accounts(2_000).VerifyCredentialsAsync("alice", "a brand new passphrase", Client, CancellationToken.None)).User);
    }

    [Fact]
    public async Task ChangePasswordAsync_ReturnsNullAndKeepsPasswordWhenCurrentOneIsWrong()
    {
        var accounts = Accounts();
        await accounts.RegisterAsync("alice", Password, CancellationToken.None);

        var (outcome, user, _) = await accounts.ChangePasswordAsync("alice", "wrong password, long enough", "a brand new passphrase", Client, CancellationToken.None);

        Assert.Equal(PasswordChangeOutcome.WrongPassword, outcome);
        Assert.Null(user);
        Assert.NotNull((await accounts.VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None)).User);
    }

    [Fact]
    public async Task ChangePasswordAsync_ReportsConflictAndKeepsPasswordWhenTheRowChangedMeanwhile()
    {
        await Accounts().RegisterAsync("alice", Password, CancellationToken.None);
        var accounts = Accounts(store: new LosesPasswordWrites(_store));

        var (outcome, user, _) = await accounts.ChangePasswordAsync("alice", Password, "a brand new passphrase", Client, CancellationToken.None);

        Assert.Equal(PasswordChangeOutcome.Conflict, outcome);
        Assert.Null(user);
        Assert.NotNull((await Accounts().VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None)).User);
    }

    [Fact]
    public async Task VerifyCredentialsAsync_RefusesALockedNameWithoutCheckingThePassword_WhetherOrNotItExists()
    {
        var accounts = Accounts();
        await accounts.RegisterAsync("alice", Password, CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(LoginOutcome.Failed, (await accounts.VerifyCredentialsAsync("alice", "wrong password, long enough", Client, CancellationToken.None)).Outcome);
            Assert.Equal(LoginOutcome.Failed, (await accounts.VerifyCredentialsAsync("nobody", "wrong password, long enough", Client, CancellationToken.None)).Outcome);
        }

        var existing = await accounts.VerifyCredentialsAsync("alice", Password, Client, CancellationToken.None);
        var unknown = await accounts.VerifyCredentialsAsync("nobody", Password, Client, CancellationToken.None);

        Assert.Equal(LoginOutcome.Throttled, existing.Outcome);
        Assert.Null(existing.User);
        Assert.Equal(LoginOutcome.Throttled, unknown.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(15), existing.RetryAfter);
        Assert.Equal(existing.RetryAfter, unknown.RetryAfter);
    }

    /// <summary>Stands for a concurrent writer that always wins the password write's compare-and-swap.</summary>
    private sealed class LosesPasswordWrites(IUserStore inner) : IUserStore
    {
        public Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
            inner.FindByNormalizedUsernameAsync(normalizedUsername, cancellationToken);

        public Task<UserAccount?> FindByKeyAsync(string key, CancellationToken cancellationToken) => inner.FindByKeyAsync(key, cancellationToken);

        public Task<UserAccount?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
            inner.FindByEmailAsync(normalizedEmail, cancellationToken);

        public Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken) => inner.TryCreateAsync(user, cancellationToken);

        public Task<bool> TryClaimEmailAsync(string normalizedEmail, UserAccount user, CancellationToken cancellationToken) =>
            inner.TryClaimEmailAsync(normalizedEmail, user, cancellationToken);

        public Task ReleaseEmailAsync(string normalizedEmail, string userId, CancellationToken cancellationToken) =>
            inner.ReleaseEmailAsync(normalizedEmail, userId, cancellationToken);

        public Task<bool> TryReplaceAsync(UserAccount user, CancellationToken cancellationToken) =>
            user.PasswordChangedAt is null ? inner.TryReplaceAsync(user, cancellationToken) : Task.FromResult(false);
    }

    private sealed class ThrottleStoreWithDeleteHook(IThrottleStore inner, Action onDelete) : IThrottleStore
    {
        public Task<ThrottleCounter> FindAsync(string key, CancellationToken cancellationToken) => inner.FindAsync(key, cancellationToken);

        public Task<ThrottleCounter?> TryWriteAsync(ThrottleCounter counter, CancellationToken cancellationToken) =>
            inner.TryWriteAsync(counter, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken)
        {
            onDelete();
            return inner.DeleteAsync(key, cancellationToken);
        }

        public Task<bool> TryDeleteAsync(ThrottleCounter counter, CancellationToken cancellationToken) => inner.TryDeleteAsync(counter, cancellationToken);

        public Task IndexAsync(ThrottleCounter counter, TimeSpan lifetime, CancellationToken cancellationToken) =>
            inner.IndexAsync(counter, lifetime, cancellationToken);
    }
}
