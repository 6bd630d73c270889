using System.Text.Json;

namespace FuncSessions.Host;

/// <summary>
/// Reads the "Values" of a Functions <c>local.settings.json</c>, so the self-host and <c>func start</c> run from one
/// settings file with the same names (<c>__</c> separators become <c>:</c>, as for environment variables).
/// </summary>
public sealed class LocalSettingsConfigurationSource(string path) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(path);

    private sealed class Provider(string path) : ConfigurationProvider
    {
        public override void Load()
        {
            if (!File.Exists(path))
            {
                return;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty("Values", out var values))
            {
                return;
            }

            foreach (var value in values.EnumerateObject())
            {
                Data[value.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value.Value.ToString();
            }
        }
    }
}
