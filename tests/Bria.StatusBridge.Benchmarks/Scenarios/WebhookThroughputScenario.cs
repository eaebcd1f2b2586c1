using Bria.StatusBridge.Benchmarks.Infrastructure;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>Signed webhook deliveries per second and the delivery lag while one endpoint hangs. Needs the webhook
/// delivery engine (the <c>Webhooks/</c> feature), which this branch does not carry yet.</summary>
internal sealed class WebhookThroughputScenario : IScenario
{
    public const string Missing =
        "needs the webhook delivery engine (Webhooks/ in the service), which is not merged into this build yet; " +
        "the scenario is planned as: N requests tracked with per-request webhook URLs on 8 loopback receivers " +
        "(127.0.0.1-8, 4 attempts in flight per destination), deliveries/s at the receivers beside raw HttpClient " +
        "POSTs of the same signed bodies at 32 in flight, and Bria-finished-to-webhook lag with a ninth receiver hanging.";

    public Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken) =>
        throw new ScenarioUnavailableException(Missing);
}
