using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSessions.Host;
using FuncSessions.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;

namespace FuncSessions.IntegrationTests;

/// <summary>
/// The self-host's admin commands, run as real processes the way the README runs them: from a folder holding only the
/// sample settings (a fresh clone's repository root) while <c>run-local.sh</c>'s storage file points at the Azurite it
/// started, the password on standard input.
/// </summary>
public sealed class AddUserCommandTests(AzuriteFixture fixture) : ApiTest(fixture), IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("funcsessions-cli-").FullName;

    [Fact]
    public async Task AddUser_FromAFreshClone_UsesTheSampleSettingsAndRunLocalsAzurite_AndTheAccountCanLogIn()
    {
        var prefix = "C" + Guid.NewGuid().ToString("N")[..12];
        WriteRepositoryRoot(prefix);
        await using var server = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["FuncSessions:Storage:TablePrefix"] = prefix,
        });
        var username = NewUsername();

        var created = await RunAsync(Password, "add-user", username);
        var duplicate = await RunAsync(Password, "add-user", username);
        var tooShort = await RunAsync("too short", "add-user", NewUsername());

        Assert.True(created.ExitCode == 0, created.Describe());
        Assert.Contains(username, created.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, created.StandardOutput + created.StandardError, StringComparison.Ordinal);
        Assert.True(duplicate.ExitCode == 1, duplicate.Describe());
        Assert.True(tooShort.ExitCode == 2, tooShort.Describe());
        using var client = server.CreateClient();
        using var login = await client.PostAsync("/api/auth/login", new { username, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task AddUser_PrefersLocalSettingsJson_OverTheSample()
    {
        WriteRepositoryRoot("C" + Guid.NewGuid().ToString("N")[..12]);
        var localPrefix = "L" + Guid.NewGuid().ToString("N")[..12];
        File.WriteAllText(Path.Combine(_root, LocalSettingsFiles.Default), JsonSerializer.Serialize(new
        {
            Values = new Dictionary<string, string>
            {
                ["FuncSessions__Storage__TablePrefix"] = localPrefix,
            },
        }));
        await using var server = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["FuncSessions:Storage:TablePrefix"] = localPrefix,
        });
        var username = NewUsername();

        var created = await RunAsync(Password, "add-user", username);

        Assert.True(created.ExitCode == 0, created.Describe());
        using var client = server.CreateClient();
        using var login = await client.PostAsync("/api/auth/login", new { username, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task NewSigningKey_AndMeasureHash_RunWithoutStorage()
    {
        WriteRepositoryRoot("C" + Guid.NewGuid().ToString("N")[..12]);

        var key = await RunAsync(null, "new-signing-key");
        var hash = await RunAsync(null, "measure-hash", "--FuncSessions:Passwords:Pbkdf2Iterations", "600000");

        Assert.True(key.ExitCode == 0, key.Describe());
        Assert.Equal(138, Convert.FromBase64String(key.StandardOutput.Trim()).Length);
        Assert.True(hash.ExitCode == 0, hash.Describe());
        Assert.Contains("PBKDF2-HMAC-SHA256 x 600,000: median", hash.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Unknown command 'add-usr'.", "add-usr", "bob")]
    [InlineData("add-user needs a username.", "add-user")]
    public async Task AMistypedOrIncompleteCommand_IsRefused_AndStartsNoServer(string message, params string[] arguments)
    {
        WriteRepositoryRoot("C" + Guid.NewGuid().ToString("N")[..12]);

        var result = await RunAsync(null, arguments);

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.StartsWith(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_BuildNoServer()
    {
        using var host = AdminCommands.CreateBuilder([], _root).Build();

        Assert.Null(host.Services.GetService<IServer>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartupWithABadSetting_PrintsOneLineNamingIt_AndExits1(bool server)
    {
        WriteRepositoryRoot("C" + Guid.NewGuid().ToString("N")[..12]);
        string[] arguments = server ? ["--urls", "http://127.0.0.1:0"] : ["add-user", NewUsername()];

        var result = await RunAsync(Password, [.. arguments, "--FuncSessions:Sessions:ReauthenticationWindow", "00:00:01"]);

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Equal(
            "Invalid setting FuncSessions__Sessions__ReauthenticationWindow: The field ReauthenticationWindow must be between 00:01:00 and 1.00:00:00.",
            result.StandardError.Trim());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// What a fresh clone has at its root: the sample settings (with this test's table prefix, so tests share Azurite
    /// without sharing tables), and the storage file run-local.sh writes for the Azurite it started.
    /// </summary>
    private void WriteRepositoryRoot(string prefix)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, LocalSettingsFiles.Sample)))!;
        sample["Values"]!["FuncSessions__Storage__TablePrefix"] = prefix;
        File.WriteAllText(Path.Combine(_root, LocalSettingsFiles.Sample), sample.ToJsonString());
        Directory.CreateDirectory(Path.Combine(_root, ".funcsessions"));
        File.WriteAllText(Path.Combine(_root, LocalSettingsFiles.RunLocalStorage), JsonSerializer.Serialize(new
        {
            Values = new Dictionary<string, string> { ["AzureWebJobsStorage"] = Azurite.ConnectionString },
        }));
    }

    private async Task<CommandResult> RunAsync(string? standardInput, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FuncSessions.Host.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Note: the sample's relative key file lives in the per-user folder, the developer's own; the test keeps its key here.
        start.ArgumentList.Add("--FuncSessions:Tokens:DevelopmentKeyFile");
        start.ArgumentList.Add(Path.Combine(_root, "test-signing-key.json"));

        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            await process.StandardInput.WriteLineAsync(standardInput);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandResult(string.Join(' ', arguments), process.ExitCode, await output, await error);
    }

    private sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>The child's output, so a failing assertion shows why the command failed.</summary>
        public string Describe() => $"'{Command}' exited {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }
}
