using FuncSessions.Throttling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Throttling;

public sealed class ThrottleOptionsTests
{
    [Fact]
    public void RegistrationsPerClientWindow_DefaultsTo100()
    {
        Assert.Equal(100, Build([]).RegistrationsPerClientWindow);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1000001")]
    public void RegistrationsPerClientWindow_OutsideItsRange_FailsAtStartUp_NamingTheSetting(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Build(new() { ["FuncSessions:Throttling:RegistrationsPerClientWindow"] = value }));

        Assert.Contains("FuncSessions:Throttling:RegistrationsPerClientWindow must be between 1 and 1000000", error.Message, StringComparison.Ordinal);
    }

    private static ThrottleOptions Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddFuncSessions(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ThrottleOptions>>().Value;
    }
}
