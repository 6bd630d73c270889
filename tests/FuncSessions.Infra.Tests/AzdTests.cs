using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FuncSessions.Infra.Tests;

/// <summary>
/// azure.yaml lets `azd up` provision infra/ and deploy the Functions app: the service's project exists and is the
/// Functions app, the Bicep module is the template, azd's parameters file maps only parameters the template has (its
/// required ones included) from azd's environment, and the function app carries the tag azd deploys to.
/// </summary>
public sealed partial class AzdTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(BicepCli.InfraDirectory, ".."));

    [Fact]
    public void Azure_yaml_names_the_Functions_project_as_a_dotnet_function_service_and_the_template_as_its_infra()
    {
        var yaml = Load();
        var api = (YamlMappingNode)((YamlMappingNode)yaml["services"])["api"];
        var project = Path.GetFullPath(Path.Combine(Root, Scalar(api, "project")));
        var csproj = Assert.Single(Directory.GetFiles(project, "*.csproj"));

        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", File.ReadAllText(csproj), StringComparison.Ordinal);
        Assert.Equal("dotnet", Scalar(api, "language"));
        Assert.Equal("function", Scalar(api, "host"));

        var infra = (YamlMappingNode)yaml["infra"];
        Assert.Equal("bicep", Scalar(infra, "provider"));
        var template = Path.Combine(Root, Scalar(infra, "path"), Scalar(infra, "module") + ".bicep");
        Assert.Equal(Path.Combine(BicepCli.InfraDirectory, "main.bicep"), Path.GetFullPath(template));
    }

    [Fact]
    public void Azds_parameters_file_maps_template_parameters_only_the_required_ones_included_from_the_azd_environment()
    {
        var bicep = File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.bicep"));
        var declared = ParameterLine().Matches(bicep).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["default"].Success);
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!["parameters"]!.AsObject();

        Assert.All(parameters, p => Assert.True(declared.ContainsKey(p.Key), $"{p.Key} is no parameter of main.bicep"));
        Assert.All(declared.Where(d => !d.Value), d => Assert.True(parameters.ContainsKey(d.Key), $"required {d.Key} is not mapped"));
        Assert.Equal("${AZURE_ENV_NAME}", (string?)parameters["environmentName"]!["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)parameters["location"]!["value"]);
    }

    [Fact]
    public void The_function_app_carries_the_tag_of_the_azure_yaml_service()
    {
        var service = ((YamlMappingNode)Load()["services"]).Children.Keys.Cast<YamlScalarNode>().Single().Value;

        Assert.Equal(service, (string?)Deployment.Shipped.FunctionApp["tags"]!["azd-service-name"]);
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, "azure.yaml")));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    [GeneratedRegex(@"^param (?<name>\w+) [\w\[\]]+(?<default> =)?", RegexOptions.Multiline)]
    private static partial Regex ParameterLine();
}
