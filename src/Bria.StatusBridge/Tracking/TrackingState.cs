namespace Bria.StatusBridge.Tracking;

/// <summary>Where a tracked request stands. Only <see cref="Tracking"/> is polled; the other two are final.</summary>
internal enum TrackingState
{
    Tracking = 0,
    Completed = 1,
    Failed = 2,
}
