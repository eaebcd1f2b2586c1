using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Polling;

/// <summary>When to poll one kind of request: a first delay after tracking starts, then intervals that grow
/// by <see cref="Growth"/> up to <see cref="Ceiling"/>, each spread by ±<see cref="Jitter"/>.</summary>
/// <remarks><see cref="KindSchedule"/> adds the choice between this schedule and a learned one; a push safety schedule is only this.</remarks>
public class PollSchedule
{
    /// <summary>From tracking start to the first poll: no result is likely before it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The interval after the first poll.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How much each interval grows over the previous one (1 = fixed).</summary>
    [Range(1.0, 10.0)]
    public double Growth { get; set; } = 1.5;

    /// <summary>The longest interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Ceiling { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Random spread of each interval, as a fraction (0.1 = ±10%), so that requests tracked together drift apart.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.1;

    /// <summary>The deadline applied when a command gives none.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The interval before poll number <paramref name="pollsDone"/> + 1, before jitter.</summary>
    public TimeSpan IntervalAfter(int pollsDone)
    {
        var grown = Interval.TotalMilliseconds * Math.Pow(Growth, Math.Max(0, pollsDone - 1));
        return TimeSpan.FromMilliseconds(Math.Min(grown, Ceiling.TotalMilliseconds));
    }
}
