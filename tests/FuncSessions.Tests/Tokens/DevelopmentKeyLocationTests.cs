using FuncSessions.Tokens;

namespace FuncSessions.Tests.Tokens;

/// <summary>
/// The self-host runs from the repository root and `func start` from the build output: a relative development key
/// file must land in one per-user place for both, never in the working directory.
/// </summary>
public sealed class DevelopmentKeyLocationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "funcsessions-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_relative_key_file_is_kept_in_the_per_user_folder_not_the_working_directory()
    {
        var relative = Path.Combine("nested", Guid.NewGuid().ToString("N") + ".json");

        var ring = new SigningKeyRing(Microsoft.Extensions.Options.Options.Create(new TokenOptions { DevelopmentKeyFile = relative }), () => _folder);

        Assert.True(File.Exists(Path.Combine(_folder, relative)));
        Assert.False(File.Exists(Path.GetFullPath(relative)));
        var again = new SigningKeyRing(Microsoft.Extensions.Options.Options.Create(new TokenOptions { DevelopmentKeyFile = relative }), () => _folder);
        Assert.Equal(ring.Signing.Key.KeyId, again.Signing.Key.KeyId);
    }

    [Fact]
    public void An_absolute_key_file_is_used_as_given()
    {
        var absolute = Path.Combine(_folder, "elsewhere", "key.json");

        new SigningKeyRing(
            Microsoft.Extensions.Options.Options.Create(new TokenOptions { DevelopmentKeyFile = absolute }),
            () => throw new InvalidOperationException("an absolute path needs no per-user folder"));

        Assert.True(File.Exists(absolute));
    }

    [Fact]
    public void The_per_user_folder_is_local_application_data_like_dev_certificates()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);

        Assert.Equal(Path.Combine(data, "FuncSessions"), TokenOptions.DefaultDevelopmentKeyFolder());
        Assert.True(Path.IsPathRooted(TokenOptions.DefaultDevelopmentKeyFolder()));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
