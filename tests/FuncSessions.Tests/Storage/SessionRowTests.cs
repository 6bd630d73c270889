using Azure.Data.Tables;
using FuncSessions.Sessions;
using FuncSessions.Storage;

namespace FuncSessions.Tests.Storage;

/// <summary>What a session update sends: the changed properties as a Merge, or the whole row when a value goes.</summary>
public sealed class SessionRowTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Session Current = new()
    {
        UserId = "user-1",
        SessionId = "session-1",
        Username = "ada",
        Email = "ada@example.com",
        EmailVerified = true,
        CreatedAt = Start,
        LastSeenAt = Start,
        IdleExpiresAt = Start.AddDays(7),
        AbsoluteExpiresAt = Start.AddDays(30),
        RefreshTokenHash = "first",
        UserAgent = "agent",
        IpAddress = "203.0.113.7",
        Data = SessionData.FromJson("""{"theme":"dark"}"""),
        Version = "W/\"1\"",
    };

    [Fact]
    public void A_rotation_merges_only_the_properties_it_changes()
    {
        var rotated = Current with
        {
            RefreshTokenHash = "second",
            SpentTokenHashes = ["first"],
            LastRotatedAt = Start.AddMinutes(5),
            SealedSuccessor = "sealed",
            LastSeenAt = Start.AddMinutes(5),
            IdleExpiresAt = Start.AddDays(7).AddMinutes(5),
            Generation = 1,
        };

        var (entity, mode) = SessionRow.Changes(SessionRow.From(Current), SessionRow.From(rotated));

        Assert.Equal(TableUpdateMode.Merge, mode);
        Assert.Equal(
            ["Generation", "IdleExpiresAt", "LastRotatedAt", "LastSeenAt", "PartitionKey", "RefreshTokenHash", "RowKey", "SealedSuccessor", "SpentTokenHashes"],
            entity.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("user-1", "s|session-1"), (entity.PartitionKey, entity.RowKey));
        Assert.Equal(Start.AddMinutes(5), entity.GetDateTimeOffset("LastRotatedAt"));
    }

    [Theory]
    [InlineData("Email")]
    [InlineData("Data")]
    [InlineData("UserAgent")]
    public void An_update_that_drops_a_value_replaces_the_whole_row(string dropped)
    {
        var updated = dropped switch
        {
            "Email" => Current with { Email = null },
            "Data" => Current with { Data = SessionData.Empty },
            _ => Current with { UserAgent = null },
        };

        var (entity, mode) = SessionRow.Changes(SessionRow.From(Current), SessionRow.From(updated));

        Assert.Equal(TableUpdateMode.Replace, mode);
        Assert.False(entity.ContainsKey(dropped));
        Assert.Equal("ada", entity.GetString("Username"));
    }

    [Fact]
    public void A_row_reads_back_as_the_session_it_was_written_from()
    {
        var row = SessionRow.From(Current with { SpentTokenHashes = ["a", "b"], Amr = ["pwd", "otp"], LastRotatedAt = Start });
        row.ETag = new Azure.ETag("W/\"2\"");

        var read = SessionRow.ToSession(row);

        Assert.Equal(Current with { SpentTokenHashes = read.SpentTokenHashes, Amr = read.Amr, LastRotatedAt = Start, Data = read.Data, Version = "W/\"2\"" }, read);
        Assert.Equal(["a", "b"], read.SpentTokenHashes);
        Assert.Equal(["pwd", "otp"], read.Amr);
        Assert.Equal("""{"theme":"dark"}""", read.Data.ToJson());
    }
}
