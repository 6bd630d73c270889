using System.Text.Json.Serialization;

namespace FuncSessions.SecondFactors;

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChallengeState))]
internal sealed partial class FactorJsonContext : JsonSerializerContext;
