namespace Bria.StatusBridge.Polling.Learning;

/// <summary>The lag a learned schedule aims for (<see cref="Interval"/>: the time between two looks at a running job),
/// steered by how the shared budget fares: while claimed polls run later than planned, the budget cannot pay for this
/// pace and it slows down; while calls go unspent, it speeds up, never below the minimum interval.
/// Pure, over the times it is told; the polling engine steps it after every claim.</summary>
/// <remarks>Every replica claims from the one queue ordered by next poll time, and all share one bucket, so each sees
/// the same lateness and the same bucket, and their paces agree. The pace moves on a log scale, from the minimum
/// interval up to <see cref="MaxFactor"/> times it, and in proportion to what it is told, so that it settles instead of
/// swinging: a queue of polls late by L beyond a quarter of the minimum interval moves it towards the pace plus L
/// (the one that queue says the budget pays for) within two intervals; calls left unspent pile up in the bucket, and
/// the pace speeds up by up to a factor e per <see cref="TimeConstant"/> (a sixth of the budget window) in proportion
/// to how full it is; a budget in use with polls on time holds it. (An earlier version slowed down at a fixed rate
/// while late and sped up three times as fast whenever a claim was not cut short by the budget: under a steady load
/// its pace ranged over 1x to 3-4x the minimum interval.)</remarks>
internal sealed class PollPace
{
    /// <summary>The slowest pace, as a multiple of the minimum interval.</summary>
    public const double MaxFactor = 120;

    // Intervals over which a queue of late polls moves the pace to the one the budget can pay for.
    private const double QueueCycles = 2;

    private readonly Lock _gate = new();
    private readonly TimeSpan _minInterval;
    private readonly TimeSpan _tolerance;
    private readonly double _timeConstantMs;
    private double _logFactor;
    private DateTimeOffset? _lastStep;

    public PollPace(TimeSpan minInterval, TimeSpan budgetWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budgetWindow, TimeSpan.Zero);
        _minInterval = minInterval;
        // Claims a quarter of the minimum interval late are on time: the scheduler's own latency, not a backlog.
        _tolerance = minInterval / 4;
        TimeConstant = budgetWindow / 6;
        _timeConstantMs = TimeConstant.TotalMilliseconds;
        // Start at the fastest pace: the budget gate holds whatever it is, and lateness slows it down within seconds.
        _logFactor = 0;
    }

    /// <summary>How long the pace takes to change by a factor e.</summary>
    public TimeSpan TimeConstant { get; }

    /// <summary>The lag target: how long after its last look a running job is looked at again.</summary>
    public TimeSpan Interval
    {
        get
        {
            lock (_gate)
            {
                return _minInterval * Math.Exp(_logFactor);
            }
        }
    }

    /// <summary>The pace as a multiple of the minimum interval (1 when the budget is spare).</summary>
    public double Factor
    {
        get
        {
            lock (_gate)
            {
                return Math.Exp(_logFactor);
            }
        }
    }

    /// <summary>Records one claim at <paramref name="now"/>: how full the budget's bucket was before it (0 to 1: calls
    /// left unspent pile up there), and how late the earliest claimed poll ran after its planned time (zero when none
    /// was claimed).</summary>
    public void Step(double budgetSpare, TimeSpan lateness, DateTimeOffset now)
    {
        lock (_gate)
        {
            var elapsed = _lastStep is { } last && now > last ? (now - last).TotalMilliseconds : 0;
            _lastStep = now;
            if (lateness > _tolerance)
            {
                // A queue: the budget served the earliest due poll this late, so the pace it can pay for is about the
                // pace plus that lateness. Move there over a few intervals (the queue drains within about one), in
                // proportion to how late: no swing from a pace far too slow to one far too fast and back.
                var interval = _minInterval.TotalMilliseconds * Math.Exp(_logFactor);
                var wanted = interval + (lateness - _tolerance).TotalMilliseconds;
                var share = Math.Min(1, elapsed / (QueueCycles * interval));
                _logFactor += share * Math.Log(wanted / interval);
            }
            else
            {
                // On time: look sooner in proportion to the calls left unspent, by up to a factor e per time constant
                // (a full bucket). Unspent calls pile up in the bucket, so a pace a little too slow is corrected a
                // little, and sooner or later. A long pause (idle, or the store away) says nothing about the budget:
                // move at most one time constant.
                _logFactor -= Math.Clamp(budgetSpare, 0, 1) * Math.Min(elapsed, _timeConstantMs) / _timeConstantMs;
            }

            _logFactor = Math.Clamp(_logFactor, 0, Math.Log(MaxFactor));
        }
    }
}
