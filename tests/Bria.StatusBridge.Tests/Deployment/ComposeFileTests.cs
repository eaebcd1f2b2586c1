using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bria.StatusBridge.Tests.Deployment;

public sealed partial class ComposeFileTests
{
    private static readonly JsonObject Services = RepositoryFiles.ReadYaml("docker-compose.yml")!["services"]!.AsObject();

    [Fact]
    public void Compose_runs_the_bridge_RabbitMQ_PostgreSQL_the_simulator_and_a_migrate_job()
    {
        Assert.Equal(["bridge", "migrate", "postgres", "rabbitmq", "simulator"], Services.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("rabbitmq:3-management", (string)Services["rabbitmq"]!["image"]!, StringComparison.Ordinal);
        Assert.Equal(["migrate"], Services["migrate"]!["command"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public void Long_running_services_have_health_checks_and_the_bridge_waits_for_them()
    {
        foreach (var name in new[] { "postgres", "rabbitmq", "simulator", "bridge" })
        {
            Assert.NotNull(Services[name]!["healthcheck"]?["test"]);
        }

        var dependsOn = Services["bridge"]!["depends_on"]!.AsObject();
        Assert.Equal("service_healthy", (string)dependsOn["postgres"]!["condition"]!);
        Assert.Equal("service_healthy", (string)dependsOn["rabbitmq"]!["condition"]!);
        Assert.Equal("service_healthy", (string)dependsOn["simulator"]!["condition"]!);
        Assert.Equal("service_completed_successfully", (string)dependsOn["migrate"]!["condition"]!);
        Assert.Equal("false", (string)Services["bridge"]!["environment"]!["Persistence__MigrateOnStart"]!);
    }

    [Fact]
    public void The_bridge_is_configured_only_through_documented_keys()
    {
        var documented = DocumentedKeys();
        foreach (var service in new[] { "bridge", "migrate" })
        {
            foreach (var (key, _) in Services[service]!["environment"]!.AsObject())
            {
                Assert.True(documented.Contains(key), $"{service} sets {key}, which docs/operations.md does not document");
            }
        }
    }

    [Fact]
    public void Secrets_come_from_the_env_file_and_an_example_is_checked_in()
    {
        var environment = Services["bridge"]!["environment"]!;
        Assert.Contains("${BRIA_API_TOKEN", (string)environment["Bria__ApiToken"]!, StringComparison.Ordinal);
        Assert.Contains("${POSTGRES_PASSWORD", (string)environment["ConnectionStrings__StatusBridge"]!, StringComparison.Ordinal);
        Assert.Contains("${RABBITMQ_PASSWORD", (string)environment["ConnectionStrings__RabbitMq"]!, StringComparison.Ordinal);

        var example = RepositoryFiles.Read(".env.example");
        foreach (Match variable in VariableReference().Matches(RepositoryFiles.Read("docker-compose.yml")))
        {
            Assert.Contains(variable.Groups[1].Value + "=", example, StringComparison.Ordinal);
        }

        Assert.Contains(".env", RepositoryFiles.Read(".gitignore").Split('\n').Select(l => l.Trim()));
    }

    internal static HashSet<string> DocumentedKeys() =>
        [.. DocumentedKey().Matches(RepositoryFiles.Read("docs", "operations.md")).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"`([A-Za-z][A-Za-z0-9_.]*)`")]
    private static partial Regex DocumentedKey();

    // ${NAME}, ${NAME:-default}, ${NAME:?message}; $${NAME} is an escaped, container-side variable.
    [GeneratedRegex(@"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)")]
    private static partial Regex VariableReference();
}
