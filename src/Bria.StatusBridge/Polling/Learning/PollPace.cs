namespace Bria.StatusBridge.Polling.Learning;

/// <summary>How the shared budget fares for learned schedules: the time between two looks at a running job it affords
/// now (<see cref="Interval"/>), and how much of the time it holds due polls back, which sets the share of jobs the
/// polling windows leave out (<see cref="SkipShare"/>). Pure, over the times it is told; the polling engine tells it
/// after every claim.</summary>
/// <remarks>Learned schedules plan every look one minimum interval after the previous one (<see cref="MinInterval"/>),
/// whatever the budget: while it is spare that is the pace; while it binds, due polls queue and the claim serves the
/// earliest due first, so that every running job inside a window waits its turn and two looks at one job are as far
/// apart as the budget's calls are from covering all of them, at every moment. The queue follows the number of running
/// jobs at once, in both directions. (An earlier version steered a pace instead: it slowed down while claims ran late
/// and sped up while calls went unspent, over seconds; the count of running jobs moves as fast, so the pace lagged
/// behind it, ranging over 1.2x-3x the minimum interval at a steady load, and p95 lag was 3-4% higher on uniform
/// images of 3-20 s at 3x the budget, at the same calls per job.) Every replica claims from the one queue and shares one
/// bucket, so each sees the same lateness.</remarks>
internal sealed class PollPace
{
    /// <summary>The share of a kind's jobs its polling window leaves out while the budget binds: the 3% whose looks
    /// pay least, well inside the 5% a p95 lag target lets be late; the calls saved shorten the time between looks at
    /// every other job.</summary>
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

    // The share of time the budget held due polls back at which the window leaves out the short share.
    private const double HeldBackForShort = 0.5;

    // The left-out share moves in steps of this size, so that each kind's window is computed again only when it moves.
    private const double SkipShareStep = 0.0025;

    private readonly Lock _gate = new();
    private readonly double _timeConstantMs;
    private double _delayMs;
    private double _latenessMs;
    private DateTimeOffset? _lastStep;
    private double _heldBack;
    private bool _heldBackNow;
    private DateTimeOffset? _lastBudget;

    public PollPace(TimeSpan minInterval, TimeSpan budgetWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budgetWindow, TimeSpan.Zero);
        MinInterval = minInterval;
        TimeConstant = budgetWindow / 6;
        _timeConstantMs = TimeConstant.TotalMilliseconds;
    }

    /// <summary>The time between two looks at a running job that learned schedules plan: no look comes sooner.</summary>
    public TimeSpan MinInterval { get; }

    /// <summary>Over how long the figures here average what they are told (a sixth of the budget window).</summary>
    public TimeSpan TimeConstant { get; }

    /// <summary>The time between two looks at a running job the budget affords now: <see cref="MinInterval"/> while it
    /// is spare, plus how late its queue runs claimed polls while it binds (averaged over about a
    /// <see cref="TimeConstant"/>).</summary>
    public TimeSpan Interval
    {
        get
        {
            lock (_gate)
            {
                return MinInterval + TimeSpan.FromMilliseconds(_delayMs);
            }
        }
    }

    /// <summary><see cref="Interval"/> as a multiple of the minimum interval (1 when the budget is spare).</summary>
    public double Factor => Interval / MinInterval;

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

    /// <summary>Records one claim at <paramref name="now"/>: how late the earliest claimed poll ran after its planned time
    /// (zero when nothing was due). The time since the previous claim counts at that claim's lateness.</summary>
    public void Step(TimeSpan lateness, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_lastStep is { } last && now > last)
            {
                // A long pause (idle, or the store away) weighs as one time constant would: it says nothing new.
                var elapsed = Math.Min((now - last).TotalMilliseconds, _timeConstantMs);
                _delayMs += (_latenessMs - _delayMs) * (1 - Math.Exp(-elapsed / _timeConstantMs));
            }

            _lastStep = now;
            _latenessMs = Math.Max(0, lateness.TotalMilliseconds);
        }
    }
}
