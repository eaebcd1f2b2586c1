using Bria.StatusBridge.Benchmarks;
using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Benchmarks;

/// <summary>Each benchmark scenario at a tiny size (<c>--smoke</c>): it runs against the real servers and writes its
/// JSON and Markdown report. The full runs are not part of the suite.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class BenchmarkSmokeTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"statusbridge-bench-smoke-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("lag-vs-budget")]
    [InlineData("poll-throughput")]
    [InlineData("scale")]
    [InlineData("intake")]
    [InlineData("webhook-throughput")]
    public async Task Scenario_writes_its_report_at_a_tiny_size(string scenario)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var console = new StringWriter();
        var exitCode = await BenchmarkProgram.RunAsync([scenario, "--smoke", "--out", _output], console, timeout.Token);

        Assert.True(exitCode == 0, console.ToString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(_output, $"{scenario}.md"), timeout.Token);
        Assert.Contains("| ", markdown, StringComparison.Ordinal);
        Assert.Contains(".svg)", markdown, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(_output, $"{scenario}.json")).Length > 0);
        Assert.Contains(Environment.ProcessorCount + " cores", markdown, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
