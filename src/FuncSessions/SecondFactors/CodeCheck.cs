using FuncSessions.Throttling;

namespace FuncSessions.SecondFactors;

public enum CodeOutcome
{
    Accepted,

    /// <summary>Wrong, replayed, or not a code at all: the caller is told the same for each.</summary>
    Rejected,

    /// <summary>The account's second-factor counter says wait (<see cref="CodeCheck.RetryAfter"/>); the code was not checked.</summary>
    Throttled,
}

public sealed record CodeCheck(CodeOutcome Outcome, TimeSpan? RetryAfter = null)
{
    public static readonly CodeCheck Accepted = new(CodeOutcome.Accepted);

    public static readonly CodeCheck Rejected = new(CodeOutcome.Rejected);

    /// <summary>
    /// Runs <paramref name="check"/> behind the account's second-factor counter: the attempt is counted as a failure
    /// before the code is looked at, so parallel guesses cannot overrun the limit, and only an accepted code clears it.
    /// </summary>
    public static async Task<CodeCheck> ThrottledAsync(
        AccountThrottle throttle, string userId, Func<Task<bool>> check, CancellationToken cancellationToken)
    {
        var attempt = await throttle.BeginSecondFactorAsync(userId, cancellationToken);
        if (attempt.RetryAfter is { } wait)
        {
            return new CodeCheck(CodeOutcome.Throttled, wait);
        }

        if (!await check())
        {
            return Rejected;
        }

        await attempt.SucceededAsync(cancellationToken);
        return Accepted;
    }
}
