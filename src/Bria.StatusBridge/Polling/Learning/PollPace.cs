namespace Bria.StatusBridge.Polling.Learning;

/// <summary>How the shared budget fares for learned schedules: the time between two looks at a running job they plan
/// (<see cref="Planned"/>), the time it affords now (<see cref="Interval"/>), and how much of the time it holds due polls
/// back, which with the planned time sets the share of jobs the polling windows leave out (<see cref="SkipShare"/>).
/// Pure, over the figures it is told; the polling engine tells it after every claim.</summary>
/// <remarks>
/// <para>Learned schedules plan every look <see cref="Planned"/> after the previous one: the minimum interval while the
/// budget sustains that, otherwise the time between looks that spends, on average, <see cref="TargetUse"/> of what the
/// bucket sustains. It follows the calls every replica together spends (the shared bucket counts them) and the share of
/// them inside the polling windows, over about half a budget window (<see cref="PlannedTimeConstant"/>): by Little's
/// law the jobs inside the windows are their calls per second times the time between two looks, and the time the
/// budget affords is those jobs over the calls left for them.</para>
/// <para>The count of running jobs moves by +-13% at a steady load within seconds (durations are random). A plan that
/// followed it (each look one minimum interval after the last, the queue of due polls stretching every gap alike
/// while the budget binds, as an earlier version did) spends every call, but the calls spent while fewer jobs run
/// bring looks closer than the lag target needs, and while more run every gap stretches past it. A steady plan looks
/// at every job about as often whatever the count, and the calls it leaves unspent are the bucket's to absorb the swings:
/// in lag-vs-budget at 3x the budget (one run each), p95 lag stayed where it was (uniform 3-20 s images 2.65 s, was
/// 2.66-2.70; long-tailed images 3.54 s, was 3.51; a mix with videos 1.80 s, was 1.81-1.85) on 3-6% fewer calls per
/// job. Due polls still queue while more jobs run than the plan's calls cover, and the claim serves the earliest due
/// first, so no job waits longer than its turn.</para>
/// <para>The plan follows the count over half a minute, so for a while after more jobs ran it stays long while fewer
/// run, and the bucket fills and loses calls (on long-tailed images at 3x, 6-9% of the rate for a minute after a
/// peak, while those gaps were the run's longest). Those calls go to looks taken early: while the bucket holds more
/// than half of what it can after the due polls, the claim takes looks that may come early (from one minimum interval
/// after the last, inside a window), at the jobs looked at longest ago first. They are counted apart
/// (<c>early_granted</c>) and left out of the plan here:
/// counted as planned looks they would read as more jobs to cover, lengthen the plan and leave more for early looks,
/// until those did all the spacing.</para>
/// <para>Every replica claims from the one queue and shares one bucket, so each sees the same lateness and rate.</para>
/// </remarks>
internal sealed class PollPace
{
    /// <summary>The share of a kind's jobs its polling window leaves out while the budget binds: the 3% whose looks
    /// pay least, well inside the 5% a p95 lag target lets be late; the calls saved shorten the time between looks at
    /// every other job.</summary>
    public const double ShortSkipShare = 0.03;

    /// <summary>The share left out while the budget is spare: with calls to spare, a look that rarely finds an end
    /// still costs nothing anyone else needed, and each share left out moves p95 further from that of a poller looking
    /// every minimum interval from the start (the lag of the jobs in the window is spread over one interval: p95 is 0.95
    /// of it with none left out, 0.979 with 3%, 0.96 with 1%). A few are still left out: the looks at the very start (or
    /// deep in a long tail) cost the most calls per end found, and the start of the estimate is its least sure part (a
    /// first look that finds a job finished says only "by now", so some of its weight lands before the shortest real
    /// job): left out 0.5%, the windows opened below the shortest jobs (2.3 s for images of 3-20 s, 34 s for videos of
    /// 40-180 s) and cost 1.5 calls per job more than 3% did, where 1% stays at the shortest jobs.</summary>
    public const double SpareSkipShare = 0.01;

    /// <summary>The share of the bucket's sustained rate the planned looks spend on average while the budget binds:
    /// the rest absorbs the swings of the number of running jobs. (In a model of the benchmark's steady loads at 3x the
    /// budget, 0.99 and 1.0 gave the same p95 lag within 1%; either left about 9% of the rate unspent through the
    /// swings, against 3.5% when the queue stretched every gap.)</summary>
    public const double TargetUse = 0.99;

    // The share of time the budget held due polls back at which the window leaves out the short share.
    private const double HeldBackForShort = 0.5;

    // How far the planned interval rises above the minimum before the windows leave out the short share.
    private const double StretchForShort = 0.5;

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
    private readonly double _sustainedPerMs;
    private readonly double _plannedTimeConstantMs;
    private readonly double _maxPlannedMs;
    private double _plannedMs;
    private double _callsPerMs;
    private double _inWindowShare = 1;
    private double _earlyPerMs;
    private DateTimeOffset? _lastSpend;
    private long _lastGranted;
    private long _lastEarlyGranted;

    /// <param name="minInterval">No two looks at a running job come closer than this.</param>
    /// <param name="budgetWindow">The budget's window (a minute; shorter in time-scaled runs).</param>
    /// <param name="sustainedCallsPerMillisecond">The calls per millisecond the shared bucket sustains (0: the planned
    /// interval stays the minimum).</param>
    public PollPace(TimeSpan minInterval, TimeSpan budgetWindow, double sustainedCallsPerMillisecond = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budgetWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(sustainedCallsPerMillisecond);
        MinInterval = minInterval;
        TimeConstant = budgetWindow / 6;
        PlannedTimeConstant = budgetWindow / 2;
        _timeConstantMs = TimeConstant.TotalMilliseconds;
        _plannedTimeConstantMs = PlannedTimeConstant.TotalMilliseconds;
        _maxPlannedMs = Math.Max(minInterval.TotalMilliseconds, (budgetWindow / 4).TotalMilliseconds);
        _sustainedPerMs = sustainedCallsPerMillisecond;
        _plannedMs = minInterval.TotalMilliseconds;
    }

    /// <summary>The pace for the bucket <paramref name="budget"/> describes.</summary>
    public static PollPace For(TimeSpan minInterval, TimeSpan budgetWindow, BudgetPolicy budget) =>
        new(minInterval, budgetWindow, budget.TokensPerMillisecond);

    /// <summary>The time between two looks at a running job that learned schedules plan: no look comes sooner.</summary>
    public TimeSpan MinInterval { get; }

    /// <summary>Over how long the figures here average what they are told (a sixth of the budget window).</summary>
    public TimeSpan TimeConstant { get; }

    /// <summary>Over how long the planned interval follows what the budget sustains (half the budget window).</summary>
    public TimeSpan PlannedTimeConstant { get; }

    /// <summary>The time learned schedules plan between two looks at a running job inside its window:
    /// <see cref="MinInterval"/> while the budget sustains it, longer while it does not (never more than a quarter of
    /// the budget window).</summary>
    public TimeSpan Planned
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromMilliseconds(_plannedMs);
            }
        }
    }

    /// <summary>The calls per second every replica together spends lately on planned looks (from the shared bucket's
    /// count, less the looks taken early).</summary>
    public double CallsPerSecond
    {
        get
        {
            lock (_gate)
            {
                return _callsPerMs * 1000;
            }
        }
    }

    /// <summary>The share of every replica's calls lately that went to looks taken early, with calls the planned looks
    /// left unspent (0 while the planned interval is the minimum: no look can come earlier).</summary>
    public double EarlyShare
    {
        get
        {
            lock (_gate)
            {
                var all = _callsPerMs + _earlyPerMs;
                return all > 0 ? _earlyPerMs / all : 0;
            }
        }
    }

    /// <summary>The time between two looks at a running job the budget affords now: <see cref="Planned"/>, plus how
    /// late the queue runs claimed polls while more jobs run than the plan's calls cover (averaged over about a
    /// <see cref="TimeConstant"/>).</summary>
    public TimeSpan Interval
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromMilliseconds(_plannedMs + _delayMs);
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
    /// budget is spare, rising to <see cref="ShortSkipShare"/> as it holds polls back half the time or more, or as the
    /// planned interval rises to 1.5 minimum intervals or more.</summary>
    public double SkipShare
    {
        get
        {
            lock (_gate)
            {
                var stretched = ((_plannedMs / MinInterval.TotalMilliseconds) - 1) / StretchForShort;
                var binding = Math.Clamp(Math.Max(_heldBack / HeldBackForShort, stretched), 0, 1);
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

    /// <summary>Records what a claim at <paramref name="now"/> spent on planned looks: <paramref name="claimed"/> due
    /// polls, of which <paramref name="inWindow"/> inside their kinds' polling windows on a learned schedule, and the
    /// shared bucket's count of every call granted so far (<paramref name="granted"/>), of which
    /// <paramref name="earlyGranted"/> to looks taken early. Moves the planned interval towards the one the budget
    /// sustains.</summary>
    /// <remarks>Looks taken early spend what the planned looks leave; counting them as planned would read their calls as
    /// more jobs to cover, lengthen the plan, and leave more for early looks, until those did all the spacing.</remarks>
    public void Spend(int claimed, int inWindow, long granted, long earlyGranted, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(claimed);
        ArgumentOutOfRangeException.ThrowIfNegative(inWindow);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inWindow, claimed);
        lock (_gate)
        {
            if (_lastSpend is { } last && now > last)
            {
                var elapsedMs = (now - last).TotalMilliseconds;
                // A long pause weighs as one time constant would, at the rate it saw (none, if nothing was granted).
                var weight = 1 - Math.Exp(-Math.Min(elapsedMs, _timeConstantMs) / _timeConstantMs);
                var early = Math.Max(0, earlyGranted - _lastEarlyGranted);
                var spent = Math.Max(0, granted - _lastGranted - early);
                _callsPerMs += ((spent / elapsedMs) - _callsPerMs) * weight;
                _earlyPerMs += ((early / elapsedMs) - _earlyPerMs) * weight;
                if (claimed > 0)
                {
                    _inWindowShare += (((double)inWindow / claimed) - _inWindowShare) * weight;
                }

                // Inside the windows, the running jobs are their calls per millisecond times the time between two
                // looks at one (planned, plus the queue's lateness); the budget affords them what the calls outside
                // the windows (first looks after a fixed schedule, long tails) leave of the target.
                var inside = _callsPerMs * _inWindowShare;
                var room = (TargetUse * _sustainedPerMs) - (_callsPerMs - inside);
                var wanted = _sustainedPerMs <= 0 ? MinInterval.TotalMilliseconds
                    : room <= 0 ? _maxPlannedMs
                    : inside * (_plannedMs + _delayMs) / room;
                wanted = Math.Clamp(wanted, MinInterval.TotalMilliseconds, _maxPlannedMs);
                var plannedWeight = 1 - Math.Exp(-Math.Min(elapsedMs, _plannedTimeConstantMs) / _plannedTimeConstantMs);
                _plannedMs += (wanted - _plannedMs) * plannedWeight;
            }

            _lastSpend = now;
            _lastGranted = granted;
            _lastEarlyGranted = earlyGranted;
        }
    }
}
