using System.Diagnostics;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>
/// The Node.js servers the tests start (tests/smtp-catcher, tests/oidc-provider) each have their own package.json, so
/// they need no change to the repository's dev tools; the first test that needs one installs it with <c>npm ci</c>.
/// </summary>
public static class NodeTools
{
    // Note: one install at a time, so two tests starting the same tool never run npm in its folder together.
    private static readonly SemaphoreSlim Install = new(1, 1);

    /// <param name="folder">The tool's folder (its package.json and lock file).</param>
    /// <param name="package">A dependency whose presence in node_modules means the install already ran.</param>
    public static async Task EnsureInstalledAsync(string folder, string package)
    {
        await Install.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(folder, "node_modules", package)))
            {
                return;
            }

            using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = folder })!;
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {folder} failed with exit code {npm.ExitCode}.");
            }
        }
        finally
        {
            Install.Release();
        }
    }
}
