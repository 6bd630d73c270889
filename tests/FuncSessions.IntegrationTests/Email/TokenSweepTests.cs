using Azure.Data.Tables;
using FuncSessions.Email;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Users;

namespace FuncSessions.IntegrationTests.Email;

/// <summary>The one-time token sweep (<see cref="ExpiredTokenSweep"/>): the <c>t{hour}</c> buckets in the expiry table, against real tables in Azurite.</summary>
public sealed class TokenSweepTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Sweep_DeletesExpiredTokens_KeepsLiveOnes_AtAboutOneCallPerExpiredToken()
    {
        var tokens = Server.Services.GetRequiredService<OneTimeTokens>();
        var expired = new List<UserAccount>();
        var live = new List<UserAccount>();
        for (var i = 0; i < 6; i++)
        {
            var user = await NewUserAsync();
            await tokens.IssueAsync(user, OneTimeTokenKind.ResetPassword, user.Email!, CancellationToken.None);
            expired.Add(user);
        }

        // Note: past the 30-minute reset lifetime and out of its hour's bucket; the 24-hour verification links stay live.
        Server.Time.Advance(TimeSpan.FromHours(2));
        for (var i = 0; i < 3; i++)
        {
            var user = await NewUserAsync();
            await tokens.IssueAsync(user, OneTimeTokenKind.VerifyEmail, user.Email!, CancellationToken.None);
            live.Add(user);
        }

        Server.Time.Advance(TimeSpan.FromHours(2));
        var callsBefore = Server.StorageCalls;
        var deleted = await Server.Services.GetRequiredService<ExpiredTokenSweep>().RunAsync(CancellationToken.None);
        var calls = Server.StorageCalls - callsBefore;

        var store = Server.Services.GetRequiredService<TableOneTimeTokenStore>();
        Assert.Equal(expired.Count, deleted);
        foreach (var user in expired)
        {
            Assert.Null(await store.FindAsync(user.UserId, OneTimeTokenKind.ResetPassword, CancellationToken.None));
        }

        foreach (var user in live)
        {
            Assert.NotNull(await store.FindAsync(user.UserId, OneTimeTokenKind.VerifyEmail, CancellationToken.None));
        }

        // Note: one query, one delete per expired token, one batch delete of their index entries (one bucket).
        Assert.Equal(1 + expired.Count + 1, calls);
        Assert.Equal(live.Count, await CountAsync(Server.Services.GetRequiredService<TableClients>().SessionExpiry, "t"));
    }

    [Fact]
    public async Task Sweep_LeavesATokenIssuedAgainMeanwhile_AndDeletesOnlyTheStaleIndexEntry()
    {
        var tokens = Server.Services.GetRequiredService<OneTimeTokens>();
        var user = await NewUserAsync();
        await tokens.IssueAsync(user, OneTimeTokenKind.ResetPassword, user.Email!, CancellationToken.None);
        Server.Time.Advance(TimeSpan.FromHours(1));
        var reissued = await tokens.IssueAsync(user, OneTimeTokenKind.ResetPassword, user.Email!, CancellationToken.None);
        Server.Time.Advance(TimeSpan.FromMinutes(20));

        // Note: the first token's bucket is now past, but its row holds the second token (a newer version), whose
        // bucket is the current hour's.
        var deleted = await Server.Services.GetRequiredService<ExpiredTokenSweep>().RunAsync(CancellationToken.None);

        Assert.Equal(0, deleted);
        Assert.NotNull(await tokens.FindAsync(reissued.Value, OneTimeTokenKind.ResetPassword, CancellationToken.None));
        Assert.Equal(1, await CountAsync(Server.Services.GetRequiredService<TableClients>().SessionExpiry, "t"));
    }

    private async Task<UserAccount> NewUserAsync()
    {
        var email = $"sweep.{Guid.NewGuid():N}@example.test";
        var userId = SecureIds.NewId();
        // Note: an email-only account as registration writes it (the token sweep never reads the address index).
        var user = new UserAccount
        {
            UserId = userId,
            Key = UserKeys.ForUserId(userId),
            Username = email,
            NormalizedUsername = "",
            Email = email,
            NormalizedEmail = EmailAddresses.Normalize(email),
            PasswordHash = "unused",
            CreatedAt = Server.Time.GetUtcNow(),
        };
        Assert.True(await Server.Services.GetRequiredService<IUserStore>().TryCreateAsync(user, CancellationToken.None));
        return user;
    }

    private static async Task<int> CountAsync(TableClient table, string partitionPrefix)
    {
        var count = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count += entity.PartitionKey.StartsWith(partitionPrefix, StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }
}
