namespace FuncSessions.Infra.Tests;

public sealed class RoleAssignmentTests
{
    private const string StorageAccount = "Microsoft.Storage/storageAccounts";
    private const string AppInsights = "Microsoft.Insights/components";
    private const string KeyVault = "Microsoft.KeyVault/vaults";

    /// <summary>Each role the app's identity needs: role definition id, and the type of the resource it is granted on.</summary>
    private static readonly (string Role, string ScopeType)[] Needed =
    [
        ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", StorageAccount), // Storage Blob Data Owner
        ("974c5e8b-45b9-4653-ba55-5f855dd0fb88", StorageAccount), // Storage Queue Data Contributor
        ("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", StorageAccount), // Storage Table Data Contributor
        ("3913510d-42f4-4e42-8a64-420c390055eb", AppInsights), // Monitoring Metrics Publisher
        ("4633458b-17de-408a-b874-0445c86b69e6", KeyVault), // Key Vault Secrets User
    ];

    public static TheoryData<string, string, string> Grants
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var scenario in Deployment.ScenarioNames)
            {
                foreach (var (role, scopeType) in Needed)
                {
                    data.Add(role, scopeType, scenario);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Grants))]
    public void Role_IsGrantedToTheAppIdentityOnItsResource(string roleDefinitionGuid, string scopeType, string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var scopeId = (string)deployment.Single(scopeType)["id"]!;

        // Act
        var assignment = Assert.Single(
            deployment.OfType("Microsoft.Authorization/roleAssignments"),
            a => ((string)a["properties"]!["roleDefinitionId"]!).EndsWith("/" + roleDefinitionGuid, StringComparison.Ordinal));
        var properties = assignment["properties"]!;

        // Assert
        Assert.Equal(
            $"/subscriptions/{FakeAzure.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionGuid}",
            (string?)properties["roleDefinitionId"]);
        Assert.Equal(scopeId, ScopeOf(assignment));
        Assert.Equal(FakeAzure.PrincipalIdOf(deployment.IdentityId), deployment.Evaluate(properties["principalId"]));
        Assert.Equal("ServicePrincipal", (string?)properties["principalType"]);
    }

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AppIdentity_HoldsNoOtherRoles(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var needed = Needed.Select(n => n.Role);

        // Act
        var assigned = deployment.OfType("Microsoft.Authorization/roleAssignments")
            .Select(a => ((string)a["properties"]!["roleDefinitionId"]!).Split('/')[^1]);

        // Assert
        Assert.Equal(needed.Order(), assigned.Order());
    }

    // An extension resource's id is "{scope id}/providers/Microsoft.Authorization/roleAssignments/{name}".
    private static string ScopeOf(System.Text.Json.Nodes.JsonObject assignment)
    {
        var id = (string)assignment["id"]!;
        return id[..id.LastIndexOf("/providers/Microsoft.Authorization/", StringComparison.Ordinal)];
    }
}
