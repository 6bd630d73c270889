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
        Assert.Equal(scopeId, ScopeOf(deployment, assignment));
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

    [Theory]
    [MemberData(nameof(Deployment.Scenarios), MemberType = typeof(Deployment))]
    public void AssignmentNames_HashThePrincipalId_SoARecreatedIdentityGetsNewAssignments(string scenario)
    {
        // Arrange
        var deployment = Deployment.Named(scenario);
        var identityId = deployment.IdentityId;
        // Note: deleting the identity and creating it again under the same name keeps its resource id, not its principal.
        const string RecreatedPrincipalId = "0b6c5bd8-93a1-4c0e-8f57-2a6e4d1c9f03";
        string Recreated(string resourceId, string path) =>
            resourceId == identityId && path == "principalId" ? RecreatedPrincipalId : FakeAzure.Property(resourceId, path);
        var assignments = deployment.OfType("Microsoft.Authorization/roleAssignments").ToList();

        // Act
        var names = assignments.Select(a => deployment.Evaluate(a["name"])).ToList();
        var namesAfterRecreation = assignments.Select(a => deployment.EvaluateWith(a["name"], Recreated)).ToList();

        // Assert
        Assert.All(assignments, a => Assert.Equal(
            ArmExpression.ArmGuid(
                ScopeOf(deployment, a),
                FakeAzure.PrincipalIdOf(identityId),
                ((string)a["properties"]!["roleDefinitionId"]!).Split('/')[^1]),
            deployment.Evaluate(a["name"])));
        Assert.Equal(Needed.Length, names.Distinct().Count());
        Assert.Empty(names.Intersect(namesAfterRecreation));
    }

    [Fact]
    public void ArmGuid_IsTheDeploymentEnginesGuid()
    {
        // Arrange
        // Note: the value `bicep snapshot` (0.49.2) computes for this guid(...), i.e. ARM's own evaluation.
        const string Expected = "8ed3406b-ba7f-518b-9863-20600dd8a873";

        // Act
        var guid = ArmExpression.ArmGuid(
            $"/subscriptions/{FakeAzure.SubscriptionId}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stx",
            "6f1c1a56-0c3e-4f5b-9a0e-2d8f4b7c9e11",
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b");

        // Assert
        Assert.Equal(Expected, guid);
    }

    // An extension resource's id is "{scope id}/providers/Microsoft.Authorization/roleAssignments/{name}".
    private static string ScopeOf(Deployment deployment, System.Text.Json.Nodes.JsonObject assignment)
    {
        var id = deployment.Evaluate(assignment["id"]);
        return id[..id.LastIndexOf("/providers/Microsoft.Authorization/", StringComparison.Ordinal)];
    }
}
