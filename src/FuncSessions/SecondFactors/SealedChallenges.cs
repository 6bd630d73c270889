using System.Text.Json;
using FuncSessions.Sessions;
using Microsoft.Extensions.Options;

namespace FuncSessions.SecondFactors;

/// <summary>What a sealed ceremony carries: its kind, the user it is bound to (if any), when it ends, and its payload.</summary>
public sealed record ChallengeState(string Kind, string? UserId, DateTimeOffset ExpiresAt, string Payload);

/// <summary>
/// Short-lived ceremony state (a "second factor required" login, a passkey challenge) as a sealed, expiring value the
/// client holds: nothing is stored until the ceremony succeeds, so anonymous callers cannot fill the table. Single use
/// is enforced at completion by inserting a spent marker keyed by the value's hash (<see cref="IFactorStore.TryMarkSpentAsync"/>):
/// the second completion finds the marker and is refused.
/// </summary>
public sealed class SealedChallenges(FactorProtector protector, IFactorStore store, IOptions<FactorOptions> options, TimeProvider time)
{
    /// <param name="lifetime">Default <see cref="FactorOptions.ChallengeLifetime"/>.</param>
    public (string Sealed, DateTimeOffset ExpiresAt) Seal(string kind, string? userId, string payload, TimeSpan? lifetime = null)
    {
        var expires = time.GetUtcNow() + (lifetime ?? options.Value.ChallengeLifetime);
        var state = new ChallengeState(kind, userId, expires, payload);
        var json = JsonSerializer.SerializeToUtf8Bytes(state, FactorJsonContext.Default.ChallengeState);
        return (protector.Protect(Purpose(kind), json), expires);
    }

    /// <summary>The state, or null when the value is not a live challenge of this kind (forged, altered, other kind, expired).</summary>
    public ChallengeState? Open(string kind, string? sealedValue)
    {
        if (protector.Unprotect(Purpose(kind), sealedValue) is not { } json)
        {
            return null;
        }

        var state = JsonSerializer.Deserialize(json, FactorJsonContext.Default.ChallengeState);
        return state is not null && state.Kind == kind && time.GetUtcNow() < state.ExpiresAt ? state : null;
    }

    /// <summary>Marks the challenge used; false when it already was (a replay, or a parallel completion that won).</summary>
    public Task<bool> ConsumeAsync(string sealedValue, ChallengeState state, CancellationToken cancellationToken) =>
        store.TryMarkSpentAsync(SecureIds.Hash(sealedValue), state.ExpiresAt, cancellationToken);

    private static string Purpose(string kind) => "challenge|" + kind;
}
