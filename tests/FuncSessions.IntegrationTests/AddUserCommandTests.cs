using System.Diagnostics;
using System.Net;
using FuncSessions.IntegrationTests.Infrastructure;

namespace FuncSessions.IntegrationTests;

/// <summary>The self-host's <c>add-user</c> command, run as a real process, reading the password from stdin.</summary>
public sealed class AddUserCommandTests(AzuriteFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task AddUser_CreatesAnAccountThatCanLogIn_WithThePasswordFromStandardInput()
    {
        var prefix = "C" + Guid.NewGuid().ToString("N")[..12];
        await using var server = await SelfHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["FuncSessions:Storage:TablePrefix"] = prefix,
        });
        var username = NewUsername();

        var (exitCode, output) = await RunAddUserAsync(prefix, username, Password);
        var (duplicateExitCode, _) = await RunAddUserAsync(prefix, username, Password);
        var (shortExitCode, _) = await RunAddUserAsync(prefix, NewUsername(), "too short");

        Assert.Equal(0, exitCode);
        Assert.Contains(username, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        Assert.Equal(1, duplicateExitCode);
        Assert.Equal(2, shortExitCode);
        using var client = server.CreateClient();
        using var login = await client.PostAsync("/api/auth/login", new { username, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private async Task<(int ExitCode, string Output)> RunAddUserAsync(string prefix, string username, string password)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "FuncSessions.Host.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet",
        [
            host, "add-user", username,
            "--AzureWebJobsStorage", Azurite.ConnectionString,
            "--FuncSessions:Storage:TablePrefix", prefix,
            "--FuncSessions:Tokens:DevelopmentKeyFile", Path.Combine(Path.GetTempPath(), "funcsessions-tests", prefix, "key.json"),
            "--Logging:LogLevel:Default", "Warning",
        ])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await process.StandardInput.WriteLineAsync(password);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
