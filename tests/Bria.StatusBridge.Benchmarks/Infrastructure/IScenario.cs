namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>One benchmark scenario: starts what it needs, measures, and fills the report.</summary>
internal interface IScenario
{
    Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken);
}
