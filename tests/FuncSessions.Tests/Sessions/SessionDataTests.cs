using System.Text.Json;
using FuncSessions.Sessions;
using FuncSessions.Tests.Tokens;
using FuncSessions.Tokens;
using FuncSessions.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Sessions;

public sealed class SessionDataTests : IDisposable
{
    private readonly SessionHarness _h = new(new SessionOptions { ClientWritableDataKeys = "theme,locale" });

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("sub")]
    [InlineData("SID")]
    [InlineData("typ")]
    [InlineData("kid")]
    [InlineData("scope")]
    [InlineData("client_id")]
    public void CheckName_RefusesReservedClaimNames_WhateverTheirCase(string name) =>
        Assert.Equal("reserved_claim_name", SessionDataRules.CheckName(name)?.Code);

    [Theory]
    [InlineData("")]
    [InlineData("1st")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("a,b")]
    public void CheckName_RefusesNamesThatAreNotPlainClaimNames(string name) =>
        Assert.Equal("invalid_session_data", SessionDataRules.CheckName(name)?.Code);

    [Theory]
    [InlineData("roles")]
    [InlineData("tenant_id")]
    [InlineData("urn:example:tier")]
    public void CheckName_AcceptsOrdinaryNames(string name) => Assert.Null(SessionDataRules.CheckName(name));

    [Theory]
    [InlineData("\"text\"", true)]
    [InlineData("12.5", true)]
    [InlineData("false", true)]
    [InlineData("[\"a\", 1, true]", true)]
    [InlineData("[]", true)]
    [InlineData("{\"a\":1}", false)]
    [InlineData("[[1]]", false)]
    [InlineData("[null]", false)]
    [InlineData("null", false)]
    public void CheckValue_AcceptsScalarsAndFlatArraysOnly(string json, bool accepted)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(accepted, SessionDataRules.CheckValue("k", document.RootElement, allowNull: false) is null);
    }

    [Fact]
    public void Merge_RemovesKeysPatchedWithNull_AndReplacesArraysWhole()
    {
        var data = SessionData.From(Values("""{"a":1,"b":[1,2],"c":"x"}"""));

        var merged = data.Merge(Values("""{"a":null,"b":[3],"d":true}"""));

        Assert.Equal("""{"b":[3],"c":"x","d":true}""", merged.ToJson());
        Assert.Equal("""{"a":1,"b":[1,2],"c":"x"}""", data.ToJson());
    }

    [Fact]
    public void CheckSize_CountsCompactUtf8Json()
    {
        var rules = new SessionDataRules(Options.Create(new SessionOptions { MaxDataBytes = 16 }));

        Assert.Null(rules.CheckSize(SessionData.From(Values("""{"k":"12345678"}"""))));
        Assert.Null(rules.CheckSize(SessionData.From(Values("""{"k":"éééé"}"""))));
        Assert.Equal("session_data_too_large", rules.CheckSize(SessionData.From(Values("""{"k":"123456789"}""")))?.Code);
        Assert.Equal("session_data_too_large", rules.CheckSize(SessionData.From(Values("""{"k":"ééééé"}""")))?.Code);
    }

    [Fact]
    public async Task AccessToken_CarriesTheDataExactlyAsItsSizeWasCounted_WhateverEscapesTheInputUsed()
    {
        var login = await _h.LoginAsync();
        var escaped = Values("""{"theme":"\u00e9\u003c"}""");

        var result = await _h.DataUpdate.UpdateAsync(login.Session, escaped, CancellationToken.None);

        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(result.AccessToken!.Value.Split('.')[1]));
        Assert.Contains("\"theme\":\"é<\"", payload, StringComparison.Ordinal);
        Assert.Equal("""{"theme":"é<"}""", result.Session!.Data.ToJson());
        Assert.Equal(15, result.Session.Data.Utf8Length);
    }

    [Fact]
    public async Task IssueAsync_StartsTheSessionWithTheProvidersData_InTheRowAndTheAccessToken()
    {
        _h.ClaimsProviders.Add(new FixedProvider("""{"roles":["admin"],"tier":3}"""));

        var login = await _h.LoginAsync();

        var row = await _h.FindAsync(login.Session);
        Assert.Equal("""{"roles":["admin"],"tier":3}""", row!.Data.ToJson());
        var payload = Jwt.Decode(login.AccessToken.Value, 1);
        Assert.Equal("admin", payload.GetProperty("roles")[0].GetString());
        Assert.Equal(3, payload.GetProperty("tier").GetInt32());
    }

    [Theory]
    [InlineData("""{"sub":"someone-else"}""")]
    [InlineData("""{"nested":{"a":1}}""")]
    public async Task IssueAsync_FailsLoudly_WhenTheProviderReturnsForbiddenData(string json)
    {
        _h.ClaimsProviders.Add(new FixedProvider(json));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _h.LoginAsync());
        Assert.Equal(0, _h.Store.Count);
    }

    [Fact]
    public async Task UpdateAsync_RefusesKeysTheClientMayNotWrite_AndChangesNothing()
    {
        _h.ClaimsProviders.Add(new FixedProvider("""{"roles":["reader"]}"""));
        var login = await _h.LoginAsync();

        var result = await _h.DataUpdate.UpdateAsync(login.Session, Values("""{"theme":"dark","roles":["admin"]}"""), CancellationToken.None);

        Assert.Equal(SessionDataUpdateOutcome.NotWritable, result.Outcome);
        Assert.Equal("""{"roles":["reader"]}""", (await _h.FindAsync(login.Session))!.Data.ToJson());
    }

    [Fact]
    public async Task UpdateAsync_AfterARefreshItDidNotSee_ReappliesThePatch_AndKeepsTheRotation()
    {
        var login = await _h.LoginAsync();
        var rotated = await _h.RefreshAsync(login.RefreshToken);

        // login.Session is now stale: its version lost to the rotation.
        var result = await _h.DataUpdate.UpdateAsync(login.Session, Values("""{"theme":"dark"}"""), CancellationToken.None);

        Assert.Equal(SessionDataUpdateOutcome.Updated, result.Outcome);
        var row = await _h.FindAsync(login.Session);
        Assert.Equal("""{"theme":"dark"}""", row!.Data.ToJson());
        Assert.Equal(rotated.Issued!.RefreshToken.Hash, row.RefreshTokenHash);
        Assert.Equal(1, row.Generation);
        Assert.Equal("dark", Jwt.Decode(result.AccessToken!.Value, 1).GetProperty("theme").GetString());
    }

    [Fact]
    public async Task RotateAsync_AfterAPatchItDidNotSee_RotatesAndCarriesTheData()
    {
        var login = await _h.LoginAsync();
        var store = new PatchBeforeFirstUpdateStore(_h.Store, () =>
            _h.DataUpdate.UpdateAsync(login.Session, Values("""{"theme":"dark"}"""), CancellationToken.None));
        var rotation = new RefreshTokenRotation(store, _h.AccessTokens, Options.Create(_h.SessionOptions), _h.Time, _h.LogHash, NullLogger<RefreshTokenRotation>.Instance);

        var result = await rotation.RotateAsync(login.RefreshToken.Value, new ClientInfo(null, null), CancellationToken.None);

        Assert.Equal(RefreshOutcome.Rotated, result.Outcome);
        Assert.Equal(2, store.Updates);
        var row = await _h.FindAsync(login.Session);
        Assert.Equal("""{"theme":"dark"}""", row!.Data.ToJson());
        Assert.Equal(result.Issued!.RefreshToken.Hash, row.RefreshTokenHash);
        Assert.Equal("dark", Jwt.Decode(result.Issued.AccessToken.Value, 1).GetProperty("theme").GetString());
    }

    [Fact]
    public async Task LargestData_WithTheLongestIssuerAndAudience_StillFitsTheCookieAndTheValidator()
    {
        // Arrange: 2048 bytes of data (the upper bound of MaxDataBytes) and 256-character issuer and audience.
        var tokenOptions = TestKeys.Options(TestKeys.NewKey("k1"));
        tokenOptions.Issuer = "https://" + new string('i', 248);
        tokenOptions.Audience = new string('a', 256);
        var ring = TestKeys.Ring(tokenOptions);
        var issuer = new AccessTokenIssuer(ring, Options.Create(tokenOptions), Options.Create(new SessionOptions()), _h.Time);
        using var validator = new AccessTokenValidator(ring, Options.Create(tokenOptions), _h.Time);
        var data = SessionData.From(Values($$"""{"k":"{{new string('x', 2048 - 8)}}"}"""));
        Assert.Equal(2048, data.Utf8Length);
        var login = await _h.LoginAsync();

        // Act
        var token = issuer.Issue(login.Session with { Data = data });

        // Assert: browsers keep cookies up to 4096 bytes of name and value.
        Assert.True(token.Value.Length + "__Host-fs-at=".Length <= 4096, $"{token.Value.Length} characters");
        Assert.NotNull(await validator.ValidateAsync(token.Value));
    }

    private static Dictionary<string, JsonElement> Values(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private sealed class FixedProvider(string json) : ISessionClaimsProvider
    {
        public ValueTask<IReadOnlyDictionary<string, JsonElement>?> GetSessionDataAsync(UserAccount user, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, JsonElement>?>(Values(json));
    }

    /// <summary>Lets a data update slip in between a refresh's read and its compare-and-swap.</summary>
    private sealed class PatchBeforeFirstUpdateStore(ISessionStore inner, Func<Task<SessionDataUpdateResult>> patch) : ISessionStore
    {
        public int Updates { get; private set; }

        public Task<Session?> FindAsync(string userId, string sessionId, CancellationToken cancellationToken) =>
            inner.FindAsync(userId, sessionId, cancellationToken);

        public Task<Session> CreateAsync(Session session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

        public async Task<Session?> TryUpdateAsync(Session current, Session updated, CancellationToken cancellationToken)
        {
            if (Updates++ == 0)
            {
                Assert.Equal(SessionDataUpdateOutcome.Updated, (await patch()).Outcome);
            }

            return await inner.TryUpdateAsync(current, updated, cancellationToken);
        }

        public Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken) =>
            inner.DeleteAsync(userId, sessionId, cancellationToken);

        public Task<IReadOnlyList<Session>> ListAsync(string userId, CancellationToken cancellationToken) => inner.ListAsync(userId, cancellationToken);

        public Task<int> DeleteAllAsync(string userId, string? keepSessionId, CancellationToken cancellationToken) =>
            inner.DeleteAllAsync(userId, keepSessionId, cancellationToken);
    }
}
