using System.Text.Json.Nodes;
using Bria.StatusBridge.Benchmarks;
using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Benchmarks;

/// <summary>Each benchmark scenario at a tiny size (<c>--smoke</c>): it runs against the real servers, measures its
/// headline figure (present, finite and above zero in the JSON report) and writes its Markdown report. The full runs
/// are not part of the suite.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class BenchmarkSmokeTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"statusbridge-bench-smoke-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("lag-vs-budget", "notified")]
    [InlineData("poll-throughput", "calls_per_second")]
    [InlineData("scale", "table_bytes")]
    [InlineData("intake", "messages_per_second")]
    [InlineData("webhook-throughput", "deliveries_per_second")]
    [InlineData("status-streams", "lag_p50_ms")]
    public async Task Scenario_measures_its_figures_at_a_tiny_size(string scenario, string figure)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var console = new StringWriter();
        var exitCode = await BenchmarkProgram.RunAsync([scenario, "--smoke", "--out", _output], console, timeout.Token);

        Assert.True(exitCode == 0, console.ToString());
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_output, $"{scenario}.json"), timeout.Token))!;
        var figures = report["data"]!.AsObject()
            .Where(run => run.Value?[figure] is not null)
            .Select(run => (Run: run.Key, Value: run.Value![figure]!.GetValue<double>()))
            .ToList();
        Assert.NotEmpty(figures);
        Assert.All(figures, f => Assert.True(double.IsFinite(f.Value) && f.Value > 0, $"{scenario} {f.Run}: {figure} = {f.Value}"));
        Assert.Equal(Environment.ProcessorCount, report["machine"]!["cores"]!.GetValue<int>());
        Assert.True(new FileInfo(Path.Combine(_output, $"{scenario}.md")).Length > 0);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
