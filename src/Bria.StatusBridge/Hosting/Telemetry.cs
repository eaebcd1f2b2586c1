using System.Diagnostics;

namespace Bria.StatusBridge.Hosting;

/// <summary>The bridge's one <see cref="ActivitySource"/>, named <c>Bria.StatusBridge</c> like its one meter (created
/// by <see cref="BridgeMetrics"/> through the meter factory).</summary>
internal static class Telemetry
{
    public const string Name = "Bria.StatusBridge";

    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>Starts an activity whose parent is the stored W3C trace context of a tracked request.</summary>
    public static Activity? StartFromStored(string name, ActivityKind kind, string? traceParent)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        return ActivitySource.StartActivity(name, kind, parent);
    }
}
