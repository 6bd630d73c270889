using System.Text.Json;
using FuncSessions.Users;

namespace FuncSessions.Sessions;

/// <summary>
/// The extension point that sets a new session's data (e.g. roles, tenant) when the user logs in or changes the
/// password. Register an implementation in DI; with none, sessions start without data. Keys must follow
/// <see cref="SessionDataRules"/> and the total must fit <see cref="SessionOptions.MaxDataBytes"/>, otherwise the
/// login fails with an exception: that is a bug in the provider, not something a client can cause.
/// </summary>
public interface ISessionClaimsProvider
{
    /// <summary>The data for a new session of <paramref name="user"/>; null or empty for none.</summary>
    ValueTask<IReadOnlyDictionary<string, JsonElement>?> GetSessionDataAsync(UserAccount user, CancellationToken cancellationToken);
}
