namespace FuncSessions.Host;

/// <summary>
/// Which settings files the admin commands read, so that they see what <c>scripts/run-local.sh</c> gives the server:
/// <c>LocalSettingsFile</c> when set, else <c>local.settings.json</c>, else <c>local.settings.sample.json</c>, in the
/// working directory (the repository root: <c>dotnet run --project src/FuncSessions.Host</c> runs there, see the
/// project file); then the storage connection <c>run-local.sh</c> wrote for the Azurite it started.
/// </summary>
public static class LocalSettingsFiles
{
    public const string SettingName = "LocalSettingsFile";

    public const string Default = "local.settings.json";

    public const string Sample = "local.settings.sample.json";

    /// <summary>
    /// Written by <c>run-local.sh</c> while it runs (and deleted when it stops): <c>AzureWebJobsStorage</c> for its Azurite,
    /// whose table port is 10002 only when that port was free.
    /// </summary>
    public static readonly string RunLocalStorage = Path.Combine(".funcsessions", "run-local.settings.json");

    /// <summary>The settings file to read, relative to <paramref name="directory"/> unless <paramref name="configured"/> is rooted.</summary>
    public static string Choose(string? configured, string directory)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.Combine(directory, configured);
        }

        var local = Path.Combine(directory, Default);
        return File.Exists(local) ? local : Path.Combine(directory, Sample);
    }
}
