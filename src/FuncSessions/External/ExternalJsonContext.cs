using System.Text.Json.Serialization;

namespace FuncSessions.External;

[JsonSerializable(typeof(ProviderTokens))]
[JsonSerializable(typeof(GitHubUser))]
[JsonSerializable(typeof(List<GitHubEmail>))]
[JsonSerializable(typeof(SignInTransaction))]
[JsonSerializable(typeof(List<LinkedIdentity>))]
internal sealed partial class ExternalJsonContext : JsonSerializerContext;
