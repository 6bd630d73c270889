using FuncSessions.Sessions;
using FuncSessions.Throttling;

namespace FuncSessions.SecondFactors;

/// <summary>Recovery codes: issued (and reissued) in sets of ten, each accepted once.</summary>
public sealed class RecoveryCodeFactor(IFactorStore store, AccountThrottle throttle)
{
    /// <summary>A new set, replacing every earlier code. The codes are returned to be shown once; only hashes are kept.</summary>
    public async Task<IReadOnlyList<string>> IssueAsync(string userId, CancellationToken cancellationToken)
    {
        var codes = RecoveryCodes.Generate();
        await store.TrySaveRecoveryCodesAsync(
            new RecoveryCodeSet { UserId = userId, Hashes = [.. codes.Select(c => RecoveryCodes.Hash(userId, c))] }, cancellationToken);
        return codes;
    }

    public async Task<int> RemainingAsync(string userId, CancellationToken cancellationToken) =>
        (await store.FindRecoveryCodesAsync(userId, cancellationToken))?.Hashes.Count ?? 0;

    /// <summary>Spends one code (throttled with the TOTP codes); a parallel use of the same code loses the conditional write.</summary>
    public Task<CodeCheck> UseAsync(string userId, string code, CancellationToken cancellationToken) =>
        CodeCheck.ThrottledAsync(throttle, userId, async () =>
        {
            var hash = RecoveryCodes.Hash(userId, code);
            if (await store.FindRecoveryCodesAsync(userId, cancellationToken) is not { } set
                || set.Hashes.FirstOrDefault(h => SecureIds.ConstantTimeEquals(h, hash)) is not { } match)
            {
                return false;
            }

            return await store.TrySaveRecoveryCodesAsync(set with { Hashes = [.. set.Hashes.Where(h => h != match)] }, cancellationToken);
        }, cancellationToken);
}
