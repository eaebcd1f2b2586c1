using System.Diagnostics.Metrics;
using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Retention;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Fakes;

/// <summary>The bridge's metrics on a private meter factory, for loops under test.</summary>
internal static class TestMetrics
{
    public static BridgeMetrics Create(FakeTrackingStore tracking, FakeOutboxStore outbox, TimeProvider time)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        // The gauges query the stores only when a listener scrapes them; no test here does, so no delivery store is needed.
        var gauges = new StoreGauges(tracking, outbox, null!, time, NullLogger<StoreGauges>.Instance);
        return new BridgeMetrics(meters, gauges, Options.Create(new PollingOptions()), time);
    }

    /// <summary>The Bria push service over fake stores, logging nowhere. No early webhook ever waits, so it never opens a
    /// transaction of its own: no connection factory is needed.</summary>
    public static BriaPushService BriaPush(FakeTrackingStore tracking, FakeEarlyWebhookStore early, PollWakeSignal pollSignal, TimeProvider time, DurationLearning? learning = null)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var bria = Options.Create(new BriaOptions { ApiToken = "test-token" });
        return new BriaPushService(
            new BriaWebhookVerifier(bria), tracking, early, null!, pollSignal, learning ?? new DurationLearning(), new BriaPushMetrics(meters), bria,
            Options.Create(new RetentionOptions()), time, NullLogger<BriaPushService>.Instance);
    }

    /// <summary>The outage tracker with default options on a private meter factory, logging nowhere.</summary>
    public static Outages Outages(TimeProvider time)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new Outages(Options.Create(new OutageOptions()), new OutageMetrics(meters), time, NullLoggerFactory.Instance);
    }
}
