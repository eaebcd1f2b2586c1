using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bria.StatusBridge.Tests.Deployment;

/// <summary>The chart, the compose file and its example env file ship the service's own defaults
/// (<c>appsettings.json</c>), but for what a deployment sets on purpose: a default changed in one place only (the
/// learned schedules' minimum interval once stayed 1 s in all three when the service's became 0.95 s) fails here.</summary>
public sealed partial class DeploymentDefaultsTests
{
    // What the chart and compose run on purpose differently from the service run alone: the shared store and bus of
    // several replicas, and (compose only) the simulator as Bria.
    private static readonly Dictionary<string, string> ChartOnPurpose = new(StringComparer.Ordinal)
    {
        ["Persistence__Provider"] = "Postgres",
        ["Bus__Transport"] = "RabbitMq",
    };

    private static readonly Dictionary<string, string> ComposeOnPurpose = new(ChartOnPurpose, StringComparer.Ordinal)
    {
        ["Bria__BaseUrl"] = "http://simulator:8080",
    };

    private static readonly Dictionary<string, string> Service = RepositoryFiles.Settings(JsonNode.Parse(RepositoryFiles.Read("src", "Bria.StatusBridge", "appsettings.json"))!);

    [Fact]
    public void The_chart_ships_the_service_s_defaults()
    {
        var chart = RepositoryFiles.Settings(RepositoryFiles.ReadYaml("charts", "bria-status-bridge", "values.yaml")!["config"]!);

        var shared = AssertSameDefaults(chart, ChartOnPurpose, "values.yaml");

        Assert.Contains("Polling__Learning__MinInterval", shared);
    }

    [Fact]
    public void The_compose_file_ships_the_service_s_defaults_and_the_example_env_file_the_compose_file_s()
    {
        var environment = RepositoryFiles.ReadYaml("docker-compose.yml")!["services"]!["bridge"]!["environment"]!.AsObject();
        var compose = new Dictionary<string, string>(StringComparer.Ordinal);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment)
        {
            if (VariableWithDefault().Match(value?.ToString() ?? "") is { Success: true } match)
            {
                compose[key] = match.Groups["default"].Value;
                variables[match.Groups["name"].Value] = match.Groups["default"].Value;
            }
        }

        var shared = AssertSameDefaults(compose, ComposeOnPurpose, "docker-compose.yml");
        Assert.Contains("Polling__Learning__MinInterval", shared);

        // An empty value in the example leaves the compose file's default.
        var example = RepositoryFiles.Read(".env.example").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('='))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        Assert.Contains("POLLING_LEARNING_MIN_INTERVAL", variables.Keys);
        foreach (var (name, fallback) in variables)
        {
            if (example.TryGetValue(name, out var value) && value.Length > 0)
            {
                Assert.True(value == fallback, $".env.example sets {name}={value}, docker-compose.yml's default is {fallback}");
            }
        }
    }

    /// <summary>Asserts that every setting <paramref name="deployed"/> shares with the service has the service's value
    /// (or the one it sets on purpose), and returns the shared keys.</summary>
    private static List<string> AssertSameDefaults(Dictionary<string, string> deployed, Dictionary<string, string> onPurpose, string file)
    {
        var shared = deployed.Keys.Where(Service.ContainsKey).ToList();
        foreach (var key in shared)
        {
            var expected = onPurpose.GetValueOrDefault(key, Service[key]);
            Assert.True(
                string.Equals(deployed[key], expected, StringComparison.OrdinalIgnoreCase),
                $"{file} sets {key} = {deployed[key]}, the service's default is {Service[key]}{(onPurpose.ContainsKey(key) ? $" (on purpose: {expected})" : "")}");
        }

        return shared;
    }

    [GeneratedRegex(@"^\$\{(?<name>\w+):-(?<default>[^}]*)\}$")]
    private static partial Regex VariableWithDefault();
}
