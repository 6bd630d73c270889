namespace FuncSessions.IntegrationTests.Infrastructure;

/// <summary>One Azurite for the whole integration suite; every test server uses its own table prefix.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteProcess Azurite { get; private set; } = null!;

    public async Task InitializeAsync() => Azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Integration";
}
