using System.Diagnostics;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// A real OpenID Provider process (tests/oidc-provider: npm oidc-provider) on a free loopback port: clients
/// <c>funcsessions</c>, <c>funcsessions-other-audience</c> and <c>funcsessions-stale-key</c> (see provider.mjs), a login
/// form that takes any login. Shared by a test class; every self-host reads its discovery document afresh.
/// </summary>
public sealed class OidcProvider : IAsyncLifetime
{
    /// <summary>The API base the providers' redirect URIs are under: the tests' <c>FuncSessions:Tokens:Issuer</c>.</summary>
    public const string ApiBase = "https://funcsessions.test/api";

    /// <summary>The FuncSessions provider names the redirect URIs are registered for, with their client ids.</summary>
    public static readonly IReadOnlyDictionary<string, string> Clients = new Dictionary<string, string>
    {
        ["local"] = "funcsessions",
        ["other-audience"] = "funcsessions-other-audience",
        ["stale-key"] = "funcsessions-stale-key",
    };

    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "tests", "oidc-provider");
    private Process? _process;

    public Uri Issuer { get; private set; } = null!;

    /// <summary>FuncSessions settings for the three providers, on top of <paramref name="settings"/>.</summary>
    public Dictionary<string, string?> Settings(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["FuncSessions:External:ReturnOrigins"] = "https://app.example.test";
        var index = 0;
        foreach (var (name, clientId) in Clients)
        {
            var prefix = $"FuncSessions:External:Providers:{index++}:";
            settings[prefix + "Name"] = name;
            settings[prefix + "Authority"] = Issuer.AbsoluteUri.TrimEnd('/');
            settings[prefix + "ClientId"] = clientId;
            settings[prefix + "ClientSecret"] = clientId + "-secret";
        }

        return settings;
    }

    public async Task InitializeAsync()
    {
        await NodeTools.EnsureInstalledAsync(Folder, "oidc-provider");
        var arguments = new List<string> { Path.Combine(Folder, "provider.mjs") };
        foreach (var name in Clients.Keys)
        {
            arguments.AddRange(["--redirect-uri", $"{ApiBase}/auth/oauth/{name}/callback"]);
        }

        _process = Process.Start(new ProcessStartInfo("node", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var ready = new TaskCompletionSource<Uri>();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("issuer ", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult(new Uri(e.Data["issuer ".Length..]));
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Issuer = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Replaces the provider's signing key; its JWKS then has the new key only. Answers the new key id.</summary>
    public async Task<string> RotateKeysAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Issuer, "/test/rotate-keys"), null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
