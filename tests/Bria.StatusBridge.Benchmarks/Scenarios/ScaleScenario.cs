using Bria.StatusBridge.Benchmarks.Infrastructure;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

internal sealed class ScaleScenario : IScenario
{
    public Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken) =>
        throw new ScenarioUnavailableException("not written yet");
}
