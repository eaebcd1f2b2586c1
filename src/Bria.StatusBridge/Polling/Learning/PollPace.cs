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

    /// <summary>The share of a kind's jobs its polling window leaves out while the budget binds: the 3% whose looks
    /// pay least, well inside the 5% a p95 lag target lets be late; the calls saved keep every other job within one
    /// pace interval.</summary>
    public const double ShortSkipShare = 0.03;

    /// <summary>The share left out while the budget is spare: with calls to spare, a look that rarely finds an end
    /// still costs nothing anyone else needed, and each share left out moves p95 further from a 1-s poller's (the
    /// lag of the jobs in the window is spread over one interval: p95 is 0.95 of it with none left out, 0.979 with
    /// 3%, 0.96 with 1%). A few are still left out: the looks at the very start (or deep in a long tail) cost the
    /// most calls per end found, and the start of the estimate is its least sure part (a first look that finds a job
    /// finished says only "by now", so some of its weight lands before the shortest real job): left out 0.5%, the
    /// windows opened below the shortest jobs (2.3 s for images of 3-20 s, 34 s for videos of 40-180 s) and cost 1.5
    /// calls per job more than 3% did, where 1% stays at the shortest jobs.</summary>
    public const double SpareSkipShare = 0.01;

    // Intervals over which a queue of late polls moves the pace to the one the budget can pay for.
    private const double QueueCycles = 2;

    // The share of time the budget held due polls back at which the window leaves out the short share.
    private const double HeldBackForShort = 0.5;

    // The left-out share moves in steps of this size, so that each kind's window is computed again only when it moves.
    private const double SkipShareStep = 0.0025;

    private readonly Lock _gate = new();
    private readonly TimeSpan _minInterval;
    private readonly TimeSpan _tolerance;
    private readonly double _timeConstantMs;
    private double _logFactor;
    private DateTimeOffset? _lastStep;
    private double _heldBack;
    private bool _heldBackNow;
    private DateTimeOffset? _lastBudget;

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

    /// <summary>How much of the time the shared budget held due polls back lately (0 to 1, averaged over the last
    /// <see cref="TimeConstant"/> or so).</summary>
    public double HeldBack
    {
        get
        {
            lock (_gate)
            {
                return _heldBack;
            }
        }
    }

    /// <summary>The share of each kind's jobs its polling window leaves out now: <see cref="SpareSkipShare"/> while the
    /// budget is spare, rising to <see cref="ShortSkipShare"/> as it holds polls back half the time or more.</summary>
    public double SkipShare
    {
        get
        {
            lock (_gate)
            {
                var binding = Math.Clamp(_heldBack / HeldBackForShort, 0, 1);
                var share = SpareSkipShare + ((ShortSkipShare - SpareSkipShare) * binding);
                return Math.Round(share / SkipShareStep) * SkipShareStep;
            }
        }
    }

    /// <summary>Records whether a claim at <paramref name="now"/> left due polls waiting because the shared budget had
    /// no calls to spare (every claim, those that got nothing included): the time since the previous claim counts as
    /// held back if that one was.</summary>
    public void Budget(bool heldBack, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_lastBudget is { } last && now > last)
            {
                var weight = 1 - Math.Exp(-(now - last).TotalMilliseconds / _timeConstantMs);
                _heldBack += ((_heldBackNow ? 1 : 0) - _heldBack) * weight;
            }

            _lastBudget = now;
            _heldBackNow = heldBack;
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
