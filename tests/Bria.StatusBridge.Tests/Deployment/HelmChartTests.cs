using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Bria.StatusBridge.Tests.Deployment;

/// <summary>Checks the chart without a cluster (and without helm): the values against the schema, the templates'
/// value paths against the values, and the service's configuration keys against the ConfigMap and Secret.</summary>
public sealed partial class HelmChartTests
{
    private const string Chart = "charts/bria-status-bridge";

    private static readonly JsonNode Values = RepositoryFiles.ReadYaml(Chart, "values.yaml")!;

    [Fact]
    public void Default_values_validate_against_the_schema()
    {
        var result = Schema().Evaluate(JsonSerializer.SerializeToElement(Values), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void The_schema_rejects_values_that_would_break_the_release()
    {
        var sqlite = Values.DeepClone();
        sqlite["config"]!["Persistence"]!["Provider"] = "Sqlite";
        var badProbe = Values.DeepClone();
        badProbe["probes"]!["readiness"]!["path"] = "readyz";
        var typo = Values.DeepClone();
        typo["autoscalling"] = new JsonObject();

        foreach (var values in new[] { sqlite, badProbe, typo })
        {
            Assert.False(Schema().Evaluate(JsonSerializer.SerializeToElement(values)).IsValid);
        }
    }

    [Fact]
    public void Every_values_path_used_by_a_template_exists_in_values_yaml()
    {
        foreach (var file in Directory.GetFiles(RepositoryFiles.Path(Chart, "templates")))
        {
            foreach (Match match in ValuesPath().Matches(File.ReadAllText(file)))
            {
                JsonNode? node = Values;
                foreach (var segment in match.Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.True(
                        node is JsonObject map && map.ContainsKey(segment),
                        $"{Path.GetFileName(file)} uses .Values{match.Groups[1].Value}, which values.yaml does not define");
                    node = node![segment];
                }
            }
        }
    }

    [Fact]
    public void Every_configuration_key_the_service_reads_has_a_place_in_the_ConfigMap_or_the_Secret()
    {
        var configMap = RepositoryFiles.Settings(Values["config"]!).Keys.ToHashSet(StringComparer.Ordinal);
        // A list setting is an index-keyed map in values.yaml (Webhooks__RetrySchedule__0, ...), possibly empty.
        configMap.UnionWith(MapPaths(Values["config"]!.AsObject(), ""));
        configMap.UnionWith(ExplicitKeys("configmap.yaml"));
        var secret = ExplicitKeys("secret.yaml").ToHashSet(StringComparer.Ordinal);

        // Bound from ConnectionStrings, not from their own section: they live in the Secret under those names.
        var fromConnectionStrings = new Dictionary<string, string>
        {
            ["Persistence__ConnectionString"] = "ConnectionStrings__StatusBridge",
            ["Bus__RabbitMqUri"] = "ConnectionStrings__RabbitMq",
        };

        var keys = RepositoryFiles.ServiceConfigurationKeys();
        Assert.Contains("Polling__Image__Interval", keys);
        Assert.Contains("Retention__AttemptAnswers", keys);
        foreach (var key in keys)
        {
            var name = fromConnectionStrings.GetValueOrDefault(key, key);
            Assert.True(configMap.Contains(name) || secret.Contains(name), $"{name} has no place in the chart's ConfigMap or Secret");
        }

        Assert.Equal(
            ["Admin__ApiKey", "Bria__ApiToken", "ConnectionStrings__RabbitMq", "ConnectionStrings__StatusBridge", "Webhooks__SigningSecret"],
            secret.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(configMap, k => secret.Contains(k));
    }

    [Fact]
    public void Every_chart_setting_is_documented()
    {
        var documented = ComposeFileTests.DocumentedKeys();
        foreach (var key in RepositoryFiles.Settings(Values["config"]!).Keys.Where(k => !k.StartsWith("Logging__", StringComparison.Ordinal)))
        {
            Assert.True(documented.Contains(key), $"values.yaml config sets {key}, which docs/operations.md does not document");
        }
    }

    [Fact]
    public void Templates_follow_the_chart_conventions()
    {
        var deployment = Template("deployment.yaml");
        // The HPA owns the replica count when it is on.
        Assert.Matches(@"\{\{- if not \.Values\.autoscaling\.enabled \}\}\s+replicas:", deployment);
        Assert.Contains("path: {{ .path }}", deployment, StringComparison.Ordinal);
        Assert.Contains("apiVersion: autoscaling/v2", Template("hpa.yaml"), StringComparison.Ordinal);
        Assert.StartsWith("{{- if include \"bria-status-bridge.multipleReplicas\" . }}", Template("pdb.yaml"), StringComparison.Ordinal);
        var job = Template("migration-job.yaml");
        Assert.Contains("\"helm.sh/hook\": pre-install,pre-upgrade", job, StringComparison.Ordinal);
        Assert.Contains("args: [\"migrate\"]", job, StringComparison.Ordinal);
        Assert.Contains("Persistence__MigrateOnStart: {{ not .Values.migration.enabled", Template("configmap.yaml"), StringComparison.Ordinal);
        Assert.Equal("/healthz", (string)Values["probes"]!["liveness"]!["path"]!);
        Assert.Equal("/readyz", (string)Values["probes"]!["readiness"]!["path"]!);
        Assert.True((bool)Values["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.True((bool)Values["podSecurityContext"]!["runAsNonRoot"]!);
        JsonNode.Parse(RepositoryFiles.Read(Chart, "dashboards", "bria-status-bridge.json"));
    }

    [Fact]
    public void The_dashboard_charts_every_metric_the_operations_guide_lists()
    {
        var dashboard = JsonNode.Parse(RepositoryFiles.Read(Chart, "dashboards", "bria-status-bridge.json"))!;
        var expressions = string.Join('\n', dashboard["panels"]!.AsArray()
            .SelectMany(panel => panel!["targets"]!.AsArray())
            .Select(target => (string)target!["expr"]!));
        var documented = DocumentedMetric().Matches(RepositoryFiles.Read("docs", "operations.md"))
            .Select(match => match.Groups["name"].Value)
            .Distinct()
            .ToList();

        Assert.NotEmpty(documented);
        Assert.All(documented, name => Assert.Contains(name, expressions, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\| `(?<name>bria_statusbridge_[a-z_]+)`", RegexOptions.Multiline)]
    private static partial Regex DocumentedMetric();

    private static string Template(string name) => RepositoryFiles.Read(Chart, "templates", name);

    private static JsonSchema Schema() => JsonSchema.FromText(RepositoryFiles.Read(Chart, "values.schema.json"));

    private static IEnumerable<string> MapPaths(JsonObject section, string prefix)
    {
        foreach (var (key, value) in section)
        {
            if (value is JsonObject nested)
            {
                var name = prefix.Length == 0 ? key : $"{prefix}__{key}";
                yield return name;
                foreach (var inner in MapPaths(nested, name))
                {
                    yield return inner;
                }
            }
        }
    }

    private static IEnumerable<string> ExplicitKeys(string template) =>
        ExplicitKey().Matches(Template(template)).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z0-9_]+)+)")]
    private static partial Regex ValuesPath();

    [GeneratedRegex(@"^\s*([A-Za-z]+__[A-Za-z_]+):", RegexOptions.Multiline)]
    private static partial Regex ExplicitKey();
}
