using Azure.Data.Tables;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using StoredData = FuncSessions.Sessions.SessionData;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>
/// The table store writes a session update as a Merge of the properties that changed, or as a Replace when a value is
/// removed, since a Merge cannot remove a property. Either way the row read back is the updated session, field by
/// field, and a stale version writes nothing.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SessionUpdateTests(AzuriteFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private SelfHostServer _server = null!;

    private ISessionStore Store => _server.Services.GetRequiredService<ISessionStore>();

    public async Task InitializeAsync() => _server = await SelfHostServer.StartAsync(fixture.Azurite);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_rotation_shaped_update_reads_back_as_the_updated_session_and_keeps_the_untouched_fields()
    {
        var current = await CreateAsync();

        var updated = current with
        {
            RefreshTokenHash = "successor-hash",
            SpentTokenHashes = ["first-hash", .. current.SpentTokenHashes],
            LastRotatedAt = Start.AddMinutes(5),
            SealedSuccessor = "sealed-successor",
            LastSeenAt = Start.AddMinutes(5),
            IdleExpiresAt = Start.AddDays(7).AddMinutes(5),
            Generation = current.Generation + 1,
            IpAddress = "198.51.100.9",
        };
        var stored = await Store.TryUpdateAsync(current, updated, CancellationToken.None);
        var read = await FindAsync(current);

        Assert.NotNull(stored);
        Assert.NotEqual(current.Version, stored.Version);
        Assert.Equal(stored.Version, read.Version);
        Assert.Equal(Describe(updated), Describe(read));
        Assert.Equal("ada@example.com", read.Email);
        Assert.Equal("dark", read.Data.Values["theme"].GetString());
    }

    [Fact]
    public async Task An_update_that_removes_values_leaves_no_trace_of_them_in_the_row()
    {
        var current = await CreateAsync();

        var updated = current with { Email = null, EmailVerified = false, Data = StoredData.Empty, UserAgent = null, Generation = 7 };
        Assert.NotNull(await Store.TryUpdateAsync(current, updated, CancellationToken.None));
        var read = await FindAsync(current);
        var row = (await _server.Services.GetRequiredService<TableClients>().Sessions
            .GetEntityAsync<TableEntity>(current.UserId, "s|" + current.SessionId)).Value;

        Assert.Equal(Describe(updated), Describe(read));
        Assert.Null(read.Email);
        Assert.Empty(read.Data.Values);
        Assert.False(row.ContainsKey("Email"));
        Assert.False(row.ContainsKey("Data"));
        Assert.False(row.ContainsKey("UserAgent"));
        Assert.Equal("Ada", row.GetString("Username"));
    }

    [Fact]
    public async Task An_update_from_a_stale_version_writes_nothing()
    {
        var current = await CreateAsync();

        var winner = await Store.TryUpdateAsync(current, current with { RefreshTokenHash = "winner", Generation = 1 }, CancellationToken.None);
        var loser = await Store.TryUpdateAsync(current, current with { RefreshTokenHash = "loser", Email = null }, CancellationToken.None);
        var read = await FindAsync(current);

        Assert.NotNull(winner);
        Assert.Null(loser);
        Assert.Equal(Describe(winner), Describe(read));
        Assert.Equal("winner", read.RefreshTokenHash);
        Assert.Equal("ada@example.com", read.Email);
    }

    [Fact]
    public async Task An_update_of_a_row_that_is_gone_is_refused()
    {
        var current = await CreateAsync();
        Assert.True(await Store.DeleteAsync(current.UserId, current.SessionId, CancellationToken.None));

        Assert.Null(await Store.TryUpdateAsync(current, current with { Generation = 1 }, CancellationToken.None));
        Assert.Null(await Store.FindAsync(current.UserId, current.SessionId, CancellationToken.None));
    }

    private async Task<Session> CreateAsync()
    {
        var created = await Store.CreateAsync(new Session
        {
            UserId = SecureIds.NewId(),
            SessionId = SecureIds.NewId(),
            Username = "Ada",
            StoredUserKey = "u|ada",
            Email = "ada@example.com",
            EmailVerified = true,
            CreatedAt = Start,
            LastSeenAt = Start,
            IdleExpiresAt = Start.AddDays(7),
            AbsoluteExpiresAt = Start.AddDays(30),
            RefreshTokenHash = "first-hash",
            SpentTokenHashes = ["spent-1", "spent-2"],
            UserAgent = "Mozilla/5.0 (session update test)",
            IpAddress = "203.0.113.7",
            Amr = ["pwd", "otp"],
            Data = StoredData.FromJson("""{"theme":"dark","tenant":"contoso"}"""),
        }, CancellationToken.None);

        // Note: the row as read, as every caller of TryUpdateAsync holds it.
        return await FindAsync(created);
    }

    private async Task<Session> FindAsync(Session session) =>
        await Store.FindAsync(session.UserId, session.SessionId, CancellationToken.None)
        ?? throw new InvalidOperationException("The session row is missing.");

    private static string Describe(Session s) => string.Join(" | ",
        s.UserId, s.SessionId, s.Username, s.StoredUserKey, s.Email ?? "(none)", s.EmailVerified, s.CreatedAt.UtcTicks, s.LastSeenAt.UtcTicks,
        s.IdleExpiresAt.UtcTicks, s.AbsoluteExpiresAt.UtcTicks, s.RefreshTokenHash, string.Join(',', s.SpentTokenHashes),
        s.LastRotatedAt?.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)", s.SealedSuccessor ?? "(none)",
        s.Generation, s.UserAgent ?? "(none)", s.IpAddress ?? "(none)", string.Join(',', s.Amr), s.Data.Values.Count > 0 ? s.Data.ToJson() : "(none)");
}
