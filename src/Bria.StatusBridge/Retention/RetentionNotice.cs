using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Retention;

/// <summary>The sentence a not-found answer adds about history: an id past retention is gone, and nothing is kept
/// to tell it from an id that never existed (no tombstones), so every not-found request or delivery names the period.</summary>
internal sealed class RetentionNotice(IOptionsMonitor<RetentionOptions> options)
{
    /// <summary>For a tracked request that is not found; empty when retention is off.</summary>
    public string ForRequest() => Sentence("Finished requests", RetentionKind.FinishedRequests, "ended");

    /// <summary>For a webhook delivery that is not found; empty when retention is off.</summary>
    public string ForDelivery() => Sentence("Delivered and failed webhook messages", RetentionKind.Deliveries, "were created");

    private string Sentence(string what, RetentionKind kind, string since)
    {
        var current = options.CurrentValue;
        return current.Enabled
            ? $"{what} are kept for {RetentionPolicy.Describe(RetentionPolicy.PeriodOf(current, kind))} after they {since}; an older one has been purged."
            : "";
    }
}
