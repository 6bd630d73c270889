using System.Text.Json;
using FuncSessions.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncSessions.Sessions;

public enum SessionDataUpdateOutcome
{
    /// <summary>The row holds the merged data; a new access token carries it.</summary>
    Updated,

    /// <summary>A key or value broke <see cref="SessionDataRules"/>, or the result is too large; nothing changed.</summary>
    Invalid,

    /// <summary>The patch touches a key only the server may set; nothing changed.</summary>
    NotWritable,

    /// <summary>The session ended (logout, revocation, expiry) while the update ran.</summary>
    SessionGone,

    /// <summary>Other writers kept winning the compare-and-swap; nothing changed, the client may retry.</summary>
    Conflict,
}

public sealed record SessionDataUpdateResult(
    SessionDataUpdateOutcome Outcome, Session? Session = null, AccessToken? AccessToken = null, string? Code = null, string? Detail = null);

/// <summary>
/// Applies a client's JSON Merge Patch to its own session's data with the same compare-and-swap as refresh: a patch
/// that loses to another writer (a refresh, another patch) is re-applied to the row as it now stands, so concurrent
/// patches are all applied (the last one wins per key) and none is lost; only after repeated losses does the
/// caller get <see cref="SessionDataUpdateOutcome.Conflict"/>, again with nothing changed.
/// </summary>
public sealed class SessionDataUpdate(
    ISessionStore store, AccessTokenIssuer accessTokens, SessionDataRules rules, IOptions<SessionOptions> options, TimeProvider time,
    LogHash logHash, ILogger<SessionDataUpdate> logger)
{
    private const int MaxRounds = 4;

    public async Task<SessionDataUpdateResult> UpdateAsync(
        Session current, IReadOnlyDictionary<string, JsonElement> patch, CancellationToken cancellationToken)
    {
        if (SessionDataRules.CheckEntries(patch, isPatch: true) is var (code, detail))
        {
            return new SessionDataUpdateResult(SessionDataUpdateOutcome.Invalid, Code: code, Detail: detail);
        }

        if (patch.Keys.FirstOrDefault(key => !rules.IsClientWritable(key)) is { } readOnlyKey)
        {
            return new SessionDataUpdateResult(SessionDataUpdateOutcome.NotWritable, Detail: $"'{readOnlyKey}' is set by the server only.");
        }

        var session = current;
        for (var round = 0; round < MaxRounds; round++)
        {
            if (round > 0)
            {
                session = await store.FindAsync(current.UserId, current.SessionId, cancellationToken);
                if (session is null || !session.IsLiveAt(time.GetUtcNow(), options.Value))
                {
                    return new SessionDataUpdateResult(SessionDataUpdateOutcome.SessionGone);
                }
            }

            var merged = session.Data.Merge(patch);
            if (rules.CheckSize(merged) is var (sizeCode, sizeDetail))
            {
                return new SessionDataUpdateResult(SessionDataUpdateOutcome.Invalid, Code: sizeCode, Detail: sizeDetail);
            }

            if (await store.TryUpdateAsync(session, session with { Data = merged }, cancellationToken) is { } updated)
            {
                logger.SessionDataUpdated(logHash.Of(updated.SessionId), patch.Count, round);
                return new SessionDataUpdateResult(SessionDataUpdateOutcome.Updated, updated, accessTokens.Issue(updated));
            }
        }

        logger.SessionDataUpdateConflict(logHash.Of(current.SessionId), MaxRounds);
        return new SessionDataUpdateResult(SessionDataUpdateOutcome.Conflict);
    }
}
