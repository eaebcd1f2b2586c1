namespace Bria.StatusBridge.Simulator;

/// <summary>The shape of a kind's job durations.</summary>
public enum DurationShape
{
    /// <summary>Uniform between the bounds.</summary>
    Uniform = 0,

    /// <summary>Log-normal around a median, clamped to the bounds: most jobs near the median, a long tail of slow ones.</summary>
    LogNormal = 1,
}
