namespace Bria.StatusBridge.Simulator;

/// <summary>How long jobs of one endpoint kind take: uniformly between the two bounds.</summary>
public sealed class JobKindProfile
{
    /// <summary>The shortest duration drawn.</summary>
    public TimeSpan MinDuration { get; set; }

    /// <summary>The longest duration drawn.</summary>
    public TimeSpan MaxDuration { get; set; }
}
