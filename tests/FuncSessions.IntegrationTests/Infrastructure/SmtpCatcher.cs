using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>A mail as the SMTP server received it.</summary>
public sealed record CaughtMail(IReadOnlyList<string> To, string Subject, string Text, string Html);

/// <summary>
/// A real SMTP server process (tests/smtp-catcher: npm smtp-server + mailparser) on a free loopback port, writing every
/// mail it accepts to a folder the test reads. Stop it and start it again on the same port to simulate a mail outage.
/// </summary>
public sealed class SmtpCatcher : IAsyncDisposable
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "tests", "smtp-catcher");
    private readonly string _mailFolder = Path.Combine(Path.GetTempPath(), "funcsessions-mail", Guid.NewGuid().ToString("N"));
    private Process? _process;

    private SmtpCatcher(int port) => Port = port;

    public int Port { get; }

    public static async Task<SmtpCatcher> StartAsync()
    {
        await NodeTools.EnsureInstalledAsync(Folder, "smtp-server");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var catcher = new SmtpCatcher(((IPEndPoint)listener.LocalEndpoint).Port);
        listener.Stop();
        await catcher.RestartAsync();
        return catcher;
    }

    public async Task RestartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("node", [Path.Combine(Folder, "catcher.mjs"), Port.ToString(System.Globalization.CultureInfo.InvariantCulture), _mailFolder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var ready = new TaskCompletionSource();
        _process.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("listening", StringComparison.Ordinal) == true) ready.TrySetResult(); };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every mail received so far, oldest first.</summary>
    public IReadOnlyList<CaughtMail> Mails() =>
        !Directory.Exists(_mailFolder)
            ? []
            : [.. Directory.GetFiles(_mailFolder, "*.json").Order(StringComparer.Ordinal).Select(file =>
            {
                var json = JsonNode.Parse(File.ReadAllText(file))!;
                return new CaughtMail(
                    [.. json["to"]!.AsArray().Select(t => (string)t!)], (string?)json["subject"] ?? "", (string?)json["text"] ?? "", (string?)json["html"] ?? "");
            })];

    /// <summary>Waits until a mail to <paramref name="to"/> matching <paramref name="match"/> arrived, and returns it.</summary>
    public async Task<CaughtMail> WaitForMailAsync(string to, Func<CaughtMail, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Mails().LastOrDefault(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase) && (match?.Invoke(m) ?? true)) is { } mail)
            {
                return mail;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No mail to {to} arrived; received: {string.Join(", ", Mails().Select(m => m.Subject + " → " + string.Join(",", m.To)))}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_mailFolder))
        {
            Directory.Delete(_mailFolder, recursive: true);
        }
    }
}
