using Microsoft.Extensions.Options;

namespace FuncSessions.Throttling;

/// <summary>
/// Per-client-address budget of registrations (<c>RegistrationsPerClientWindow</c> per <c>ClientWindow</c>), apart from
/// the failed guesses <see cref="ClientThrottle"/> counts: sign-ups from one office never lock its users out of login.
/// Each registration takes its slot before its password is hashed, so parallel ones cannot overrun the budget.
/// </summary>
public sealed class RegistrationThrottle(IThrottleStore store, IOptions<ThrottleOptions> options, TimeProvider time)
{
    private readonly WindowCounter _counter = new(store, time);

    /// <summary>Counts one registration (a read and a conditional write); how long to wait when the budget is spent, else null.</summary>
    public async Task<TimeSpan?> TakeAsync(string? address, CancellationToken cancellationToken)
    {
        var (taken, wait) = await _counter.TakeAsync(
            ThrottleKeys.Registrations(address), options.Value.RegistrationsPerClientWindow, options.Value.ClientWindow, cancellationToken);
        // Note: registrations are never given back, so the take that opens a window indexes the row for the sweep.
        if (taken is { Count: 1 })
        {
            await store.IndexAsync(taken, options.Value.ClientWindow, cancellationToken);
        }

        return wait;
    }
}
