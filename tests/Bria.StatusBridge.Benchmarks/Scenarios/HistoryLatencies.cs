using Bria.StatusBridge.Benchmarks.Infrastructure;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>One database's samples of the history benchmark's four statements.</summary>
internal sealed class HistoryLatencies
{
    public Latencies Claim { get; } = new();

    public Latencies NextDue { get; } = new();

    public Latencies ApiList { get; } = new();

    public Latencies PortalList { get; } = new();

    public IEnumerable<(string Key, string Name, Latencies Samples)> All =>
    [
        ("claim", "claim a batch of 32", Claim),
        ("next_due", "next due", NextDue),
        ("api_list", "API: list an endpoint's deliveries (50)", ApiList),
        ("portal_list", "portal: list a partner's requests (50)", PortalList),
    ];
}
