using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Simulator.Stats;
using Bria.StatusBridge.Tracking;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>The headline: how soon each strategy hears that a job finished, and how many status calls it spends,
/// on the same arrivals and (where it has one) the same budget.</summary>
internal sealed class LagVsBudgetScenario : IScenario
{
    private const string Bridge = "bridge";
    private const string Official = "official client (1 s, no budget)";
    private const string RoundRobin = "round-robin 1 s, budgeted";
    private const string PollingBoundName = "polling bound at the bridge's calls/job";
    private const string BudgetedBoundName = "polling bound within the budget";
    private const string WarmUpPrefix = "warm-";
    private const int WarmUpSeed = 1000;
    private const string LeadInPrefix = "lead-";
    private const int LeadInSeed = 2000;
    private const string TailPrefix = "tail-";
    private const int TailSeed = 3000;

    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var workload = LagWorkload.From(options);
        var arrivalSeconds = options.Number("arrival-seconds", 240, 6);
        var budget = options.Integer("budget", 1000, 1000);
        // --load sets the rate from the budget: polling every job in flight once a second would take load x the budget.
        var rate = options.Given.ContainsKey("load")
            ? workload.RateForLoad(options.Number("load", 3, 3), budget)
            : options.Number("rate", 5, 5);
        var scale = options.Number("time-scale", 4, 4);
        var store = options.Text("store", "sqlite");
        var seed = options.Integer("seed", 1, 1);
        // The bridge's image ceiling (default: the bridge's own), to compare schedules on the same arrivals.
        TimeSpan? imageCeiling = options.Given.ContainsKey("image-ceiling") ? TimeSpan.FromSeconds(options.Number("image-ceiling", 0, 0)) : null;
        double? imageGrowth = options.Given.ContainsKey("image-growth") ? options.Number("image-growth", 1.5, 1) : null;
        TimeSpan? imageInterval = options.Given.ContainsKey("image-interval") ? TimeSpan.FromSeconds(options.Number("image-interval", 1, 1)) : null;
        // learned (the bridge's default) or fixed: the kinds' configured schedules, as before learning.
        var modeText = options.Text("schedule", "learned");
        // A learned schedule needs jobs seen first: by default the bridge sees a burst of the same workload (another
        // seed, not measured) until every kind's learned schedule is in use, as a bridge that has been running would.
        // (--warm-up 0: none; a smoke run has none, to stay within seconds.)
        var warmUp = options.Integer("warm-up", 1, 0) != 0;
        // The load is held steady around the measured jobs: the same workload (other seeds, not measured) arrives for
        // the longest duration before them, so that the first measured job meets every kind's jobs in flight, and goes
        // on after them until the last measured job is noticed, so that the load does not drain away while the
        // measured jobs finish (--steady 0: the measured arrivals alone; the load then builds up and drains around them).
        var steady = options.Integer("steady", 1, 0) != 0;
        if (!Enum.TryParse<Polling.PollMode>(modeText, ignoreCase: true, out var mode))
        {
            throw new ArgumentException($"--schedule {modeText}: use learned or fixed.");
        }

        // The lead-in is the longest job, and a budget minute at least: the bridge's planned interval between looks
        // settles over half a budget window.
        var leadSeconds = steady ? Math.Max(workload.MaxSeconds, 60) : 0;
        var plan = workload.Plan(rate, arrivalSeconds, seed).Select(a => a with { At = a.At + leadSeconds }).ToList();
        if (plan.Count == 0)
        {
            throw new ArgumentException("No jobs: raise --rate, --load or --arrival-seconds.");
        }

        // After the measured arrivals, the tail runs for as long as the last measured job can take, and a minute more.
        var tailStart = leadSeconds + (plan.Count / rate);
        IReadOnlyList<LagArrival> surround = steady
            ?
            [
                .. workload.Plan(rate, leadSeconds, seed + LeadInSeed).Select(a => a with { Id = LeadInPrefix + a.Id }),
                .. workload.Plan(rate, workload.MaxSeconds + 60, seed + TailSeed).Select(a => a with { Id = TailPrefix + a.Id, At = a.At + tailStart }),
            ]
            : [];

        var defaults = new Polling.PollingOptions();
        Polling.PollSchedule imageSchedule = defaults.Image;
        imageSchedule = new Polling.PollSchedule
        {
            FirstDelay = imageSchedule.FirstDelay,
            Interval = imageInterval ?? imageSchedule.Interval,
            Growth = imageGrowth ?? imageSchedule.Growth,
            Ceiling = imageCeiling ?? imageSchedule.Ceiling,
            DefaultTimeout = imageSchedule.DefaultTimeout,
        };
        var load = rate * workload.MeanSeconds / (budget / 60.0);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["workload"] = $"{workload.Name}: {workload.Description}",
            ["jobs"] = plan.Count.ToString(CultureInfo.InvariantCulture),
            ["arrivals"] = $"{rate.ToString("0.###", CultureInfo.InvariantCulture)}/s for {arrivalSeconds} s",
            ["load"] = $"{load.ToString("0.00", CultureInfo.InvariantCulture)}x the budget (jobs in flight per second of budget)",
            ["budget"] = $"{budget} status calls/min",
            ["steady load"] = steady
                ? $"the same workload arrives, not measured, for {leadSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (its longest job, a minute at least) before the measured jobs and after them until the last is noticed, so that each measured job meets the load in full (--steady 0: the measured arrivals alone)"
                : "no (--steady 0): the load builds up at the start and drains away at the end of the measured arrivals",
            ["time scale"] = scale.ToString(CultureInfo.InvariantCulture),
            ["store"] = store,
            ["bridge schedule"] = mode == Polling.PollMode.Learned ? DescribeLearned(defaults) : "fixed per kind (--schedule fixed)",
            ["bridge warm-up"] = mode == Polling.PollMode.Learned && warmUp
                ? $"{WarmUpJobs(workload, defaults)} jobs of the same workload (seed {seed + WarmUpSeed}) at once before the measured arrivals, until every kind's learned schedule is in use; not measured (--warm-up 0: none)"
                : "none",
            ["bridge image schedule"] = Describe(imageSchedule),
            ["bridge video schedule"] = Describe(defaults.Video),
        })
        {
            report.Parameters[key] = value;
        }

        var warmUpPlan = mode == Polling.PollMode.Learned && warmUp
            ? [.. workload.Plan(WarmUpJobs(workload, defaults), 1, seed + WarmUpSeed).Select(a => a with { Id = WarmUpPrefix + a.Id, At = 0 })]
            : Array.Empty<LagArrival>();
        // --bound-calls-per-job C: no strategy runs; the bounds of these arrivals at C calls per job, with and without
        // the budget (C from an earlier run's bridge, whose arrivals the same options and seed make again).
        if (options.Given.ContainsKey("bound-calls-per-job"))
        {
            BoundsOnly(report, workload, [.. plan, .. surround], options.Number("bound-calls-per-job", 4, 4), budget, progress);
            return;
        }

        // --budgeted-bound 1: the bound within the budget too (minutes to compute on a 720-s run).
        var budgetedBound = options.Integer("budgeted-bound", 0, 0) != 0;
        var context = new RunContext(plan, scale, budget, progress, imageSchedule, defaults.Video, mode, warmUpPlan, workload.MaxSeconds) { Surround = surround };
        // --baselines 0 runs the bridge alone (with the bound): for trying a schedule quickly; the report's ratios to
        // the baselines need them.
        var baselines = options.Integer("baselines", 1, 1) != 0;
        var results = new List<StrategyResult> { await RunBridgeAsync(context, store, cancellationToken) };
        if (baselines)
        {
            results.Add(await RunOfficialAsync(context, cancellationToken));
            results.Add(await RunRoundRobinAsync(context, cancellationToken));
        }

        var bridge = results[0];
        var bound = PollingBoundResult.For(workload, bridge.CallsPerJob.Average(), progress);
        var table = report.AddTable(
            "Notification lag (Bria finished to event received, scenario seconds) and status calls",
            "strategy", "jobs notified", "lag p50", "p95", "p99", "max", "calls/job", "total calls", "peak calls/min", "429s");
        foreach (var result in results)
        {
            table.Add(
                result.Name,
                $"{result.Lags.Count}/{plan.Count}",
                Latencies.Seconds(result.Lags.Percentile(50)),
                Latencies.Seconds(result.Lags.Percentile(95)),
                Latencies.Seconds(result.Lags.Percentile(99)),
                Latencies.Seconds(result.Lags.Max),
                F(result.CallsPerJob.Average()),
                result.TotalCalls.ToString(CultureInfo.InvariantCulture),
                result.PeakCallsPerMinute.ToString(CultureInfo.InvariantCulture),
                result.Throttled.ToString(CultureInfo.InvariantCulture));
            var data = result.Figures(plan.Count);
            data["peak_calls_per_minute"] = result.PeakCallsPerMinute;
            data["throttled"] = result.Throttled;
            report.Data[result.Name] = data;
        }

        table.Add(PollingBoundName, $"{plan.Count}/{plan.Count}", F(bound.P50), F(bound.P95), F(bound.P99), "-", F(bound.CallsPerJob), "-", "-", "-");
        var withinBudget = budgetedBound ? PollingBoundResult.Budgeted(workload, [.. plan, .. surround], bound.CallsPerJob, budget, progress) : null;
        if (withinBudget is not null)
        {
            table.Add(BudgetedBoundName, $"{plan.Count}/{plan.Count}", "-", F(withinBudget.Lag), "-", "-", F(bound.CallsPerJob), "-", "-", "-");
            report.Data[BudgetedBoundName] = new JsonObject
            {
                ["lag_p95_ms"] = withinBudget.Lag * 1000,
                ["unbudgeted_same_atoms_lag_p95_ms"] = withinBudget.Unbudgeted * 1000,
                ["atoms"] = PollingBoundResult.BudgetedAtoms,
            };
        }

        report.Data[PollingBoundName] = new JsonObject
        {
            ["lag_p50_ms"] = bound.P50 * 1000,
            ["lag_p95_ms"] = bound.P95 * 1000,
            ["lag_p99_ms"] = bound.P99 * 1000,
            ["calls_per_job"] = bound.CallsPerJob,
        };
        // One run's p95 is an estimate from a few hundred jobs at light loads: how sure it is, and what it is when a
        // job never noticed (the official client gives up after 60 s) counts as the longest lag of all.
        var sure = report.AddTable(
            "How sure each p95 is: its 95% confidence interval (order statistics of this run's jobs), and p95 over all jobs (a job never notified counts as never)",
            "strategy", "p95 lag", "95% interval", "p95 over all jobs");
        foreach (var result in results)
        {
            var (low, high) = result.Lags.PercentileInterval(95);
            var ofAll = result.Lags.PercentileOfAll(95, plan.Count);
            sure.Add(
                result.Name,
                Latencies.Seconds(result.Lags.Percentile(95)),
                $"{Latencies.Seconds(low)} to {Latencies.Seconds(high)}",
                Latencies.Seconds(ofAll));
            var data = (JsonObject)report.Data[result.Name]!;
            data["lag_p95_interval_ms"] = new JsonArray(double.IsNaN(low) ? null : low, double.IsNaN(high) ? null : high);
            data["lag_p95_over_all_jobs_ms"] = double.IsPositiveInfinity(ofAll) ? null : ofAll;
        }

        // The same jobs timed to the status answer that found each one finished: a schedule's own lag, like the
        // baselines' and the bound's; the bridge's notification lag adds its way from that answer to the event.
        var answers = report.AddTable(
            "Answer lag (Bria finished to the status answer that saw it, scenario seconds): the schedule alone",
            "strategy", "answer p50", "p95", "p99", "p95 / bound p95");
        foreach (var result in results)
        {
            answers.Add(
                result.Name,
                Latencies.Seconds(result.AnswerLags.Percentile(50)),
                Latencies.Seconds(result.AnswerLags.Percentile(95)),
                Latencies.Seconds(result.AnswerLags.Percentile(99)),
                F(result.AnswerLags.Percentile(95) / 1000 / bound.P95));
            var data = (JsonObject)report.Data[result.Name]!;
            data["answer_lag_p50_ms"] = result.AnswerLags.Percentile(50);
            data["answer_lag_p95_ms"] = result.AnswerLags.Percentile(95);
            data["answer_lag_p99_ms"] = result.AnswerLags.Percentile(99);
        }

        report.Data["budget_per_minute"] = budget;
        report.Data["load"] = load;
        report.Data["jobs"] = plan.Count;
        report.Data["budget_held"] = results.Where(r => r.Name != Official).All(r => r.PeakCallsPerMinute <= budget);

        var ratios = report.AddTable("The bridge against the polling bound and each baseline (bridge / other; below 1 means the bridge is ahead)", "against", "p95 lag ratio", "p50 lag ratio", "calls/job ratio", "budget held by it");
        ratios.Add(PollingBoundName, F(bridge.Lags.Percentile(95) / 1000 / bound.P95), F(bridge.Lags.Percentile(50) / 1000 / bound.P50), "1.00", "-");
        if (withinBudget is not null)
        {
            ratios.Add(BudgetedBoundName, F(bridge.Lags.Percentile(95) / 1000 / withinBudget.Lag), "-", "1.00", "yes");
            report.Notes.Add(BudgetedBoundNote(withinBudget));
        }

        foreach (var baseline in results.Skip(1))
        {
            ratios.Add(
                baseline.Name,
                F(bridge.Lags.Percentile(95) / baseline.Lags.Percentile(95)),
                F(bridge.Lags.Percentile(50) / baseline.Lags.Percentile(50)),
                F(bridge.CallsPerJob.Average() / baseline.CallsPerJob.Average()),
                baseline.PeakCallsPerMinute <= budget ? "yes" : $"no: {baseline.PeakCallsPerMinute}/min needed");
        }

        var check = report.AddTable($"Budget check: the most status calls in any sliding scenario minute (budget {budget})", "strategy", "peak calls/min", "within budget");
        foreach (var result in results)
        {
            check.Add(result.Name, result.PeakCallsPerMinute.ToString(CultureInfo.InvariantCulture), result.PeakCallsPerMinute <= budget ? "yes" : $"no ({result.PeakCallsPerMinute - budget} over)");
        }

        report.Files.Add(("jobs.csv", "Every job of every strategy (scenario seconds; lags empty when never noticed)", JobsCsv(results)));
        report.Plots.Add(("lag-cdf", "Notification lag CDF", SvgChart.Cdf(
            "Notification lag (scenario seconds)", "lag, s", [.. results.Select(r => (r.Name, (IReadOnlyList<double>)[.. r.Lags.Values.Select(v => v / 1000)]))])));
        var maxCalls = Math.Min(40, results.Max(r => r.CallsPerJob.DefaultIfEmpty(0).Max()));
        report.Plots.Add(("polls-per-job", "Status calls per job", SvgChart.Bars(
            "Status calls per job (count of jobs)", "status calls", "jobs",
            [.. Enumerable.Range(1, maxCalls).Select(i => i.ToString(CultureInfo.InvariantCulture))],
            [.. results.Select(r => (r.Name, (IReadOnlyList<double>)[.. Enumerable.Range(1, maxCalls).Select(i => (double)r.CallsPerJob.Count(c => c == i))]))])));

        report.Notes.Add($"Lag is measured from the moment the simulator's job leaves IN_PROGRESS to the moment the strategy knows: for the bridge the RequestCompleted event arriving at a subscriber (through store, outbox and bus), for the baselines the terminal status answer. Times are scenario seconds: the run is {scale}x faster than real time (durations, poll intervals and the budget's minute divided by {scale}), so calls per job and every ratio are unchanged.");
        report.Notes.Add($"The official client's strategy has no budget: its 'peak calls/min' is what an account would need to run it; with a {budget}/min limit it would be throttled (429) for most of the run. It gives up after 60 s, as the official client does, so jobs longer than that are never notified by it.");
        report.Notes.Add($"Peak calls/min is the most status calls in any sliding scenario minute, counted from the simulator's arrival times of every call. The bridge's token bucket counts a minute of {60 / scale:0.###} real seconds at this time scale (Polling:BudgetWindow), so its burst shrinks with the minute and the budget holds at any scale.");
        report.Notes.Add($"The polling bound is the lowest lag any poller could reach at the bridge's calls per job if it knew the workload's distribution of durations per kind (but not each job's own): for each percentile, the best per-job schedule of polls (or random mix of schedules), found by dynamic programming over each kind's distribution cut into {PollingBoundResult.Atoms} equally likely durations weighted by the kind's share (docs/benchmarks.md, \"The polling bound\"). The bridge's ratio to it is how much lag its schedule leaves on the table at the calls it spent. The answer lag (second table) stops every strategy at the status answer that found the job finished, like the bound: the bridge's notification lag adds its way from that answer to the event.");
        foreach (var learned in context.Learned)
        {
            report.Notes.Add(learned);
        }

        if (baselines)
        {
            Explain(report, context, bridge, results[2], budget, imageSchedule, workload, mode);
        }
    }

    /// <summary>The report of <c>--bound-calls-per-job</c>: the bounds of the arrivals alone, no strategy run.</summary>
    private static void BoundsOnly(Report report, LagWorkload workload, IReadOnlyList<LagArrival> jobs, double callsPerJob, int budget, Progress progress)
    {
        var bound = PollingBoundResult.For(workload, callsPerJob, progress);
        var withinBudget = PollingBoundResult.Budgeted(workload, jobs, callsPerJob, budget, progress);
        var table = report.AddTable($"Polling bounds at {F(callsPerJob)} calls/job (scenario seconds; no strategy ran)", "bound", "atoms per kind", "p95 lag");
        table.Add(PollingBoundName, PollingBoundResult.Atoms.ToString(CultureInfo.InvariantCulture), F(bound.P95));
        table.Add("polling bound, budget free", PollingBoundResult.BudgetedAtoms.ToString(CultureInfo.InvariantCulture), F(withinBudget.Unbudgeted));
        table.Add(BudgetedBoundName, PollingBoundResult.BudgetedAtoms.ToString(CultureInfo.InvariantCulture), F(withinBudget.Lag));
        report.Data["calls_per_job"] = callsPerJob;
        report.Data[PollingBoundName] = new JsonObject { ["lag_p95_ms"] = bound.P95 * 1000 };
        report.Data[BudgetedBoundName] = new JsonObject
        {
            ["lag_p95_ms"] = withinBudget.Lag * 1000,
            ["unbudgeted_same_atoms_lag_p95_ms"] = withinBudget.Unbudgeted * 1000,
            ["atoms"] = PollingBoundResult.BudgetedAtoms,
            ["jobs"] = jobs.Count,
        };
        report.Notes.Add(BudgetedBoundNote(withinBudget));
    }

    private static string BudgetedBoundNote(BudgetedPollingBound.Result result) =>
        $"The polling bound within the budget keeps what the polling bound leaves out: no poller may spend more than the budget in a minute, however many jobs run then. It knows every job's arrival (the measured jobs and the steady load around them, which spend the same budget) and kind, not its duration, and no schedule within the budget in every sliding minute reaches a lower p95 over all those jobs: the minutes are those starting every half minute, the calls in each counted in expectation over the durations (so it keeps the swings of the arrivals, not those of which jobs happen to run long, and stays below what a poller can reach), by Lagrange prices per minute on each job's best schedule (docs/benchmarks.md, \"The polling bound within the budget\"). On {PollingBoundResult.BudgetedAtoms} atoms per kind, against {F(result.Unbudgeted)} s for the budget-free bound on the same atoms: fewer atoms flatter both.";

    /// <summary>Enough jobs that every kind of the workload is likely to reach the learned schedule's minimum (half again).</summary>
    private static int WarmUpJobs(LagWorkload workload, Polling.PollingOptions defaults) =>
        (int)Math.Ceiling(defaults.Learning.MinJobs * 1.5 / workload.Kinds.Min(k => k.Share));

    private static string DescribeLearned(Polling.PollingOptions defaults) =>
        $"learned per kind (the default): the fixed schedule below until {defaults.Learning.MinJobs} jobs of a kind have finished, then, inside a polling window of ages " +
        $"that leaves out the {PollPace.ShortSkipShare * 100:0.#}% of the kind's jobs whose looks pay least (the start or a long tail) while the budget binds, {PollPace.SpareSkipShare * 100:0.#}% while it is spare, a first look one planned interval after the window opens " +
        $"and one look per planned interval after it: the minimum interval ({defaults.Learning.MinInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s) while the budget sustains it, otherwise the interval that spends {PollPace.TargetUse * 100:0}% of what the shared bucket sustains on average (following the calls every replica spends over half a budget window); " +
        "while more jobs run than the plan's calls cover, due polls queue and the claim serves the earliest due first; " +
        "calls the plan leaves unspent (while the shared bucket holds more than half of what it can) go to looks taken early, at the jobs looked at longest ago first, never sooner than the minimum interval after the last; " +
        "a job past the window is looked at once it has aged another quarter";

    private static string Describe(Polling.PollSchedule schedule)
    {
        var first = schedule.FirstDelay.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var interval = schedule.Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        return schedule.Growth <= 1
            ? $"first poll after {first} s, then every {interval} s"
            : $"first poll after {first} s, then {interval} s growing {schedule.Growth.ToString(CultureInfo.InvariantCulture)}x to a {schedule.Ceiling.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ceiling";
    }

    private static void Explain(
        Report report, RunContext context, StrategyResult bridge, StrategyResult roundRobin, int budget, Polling.PollSchedule imageSchedule, LagWorkload workload, Polling.PollMode mode)
    {
        var lagAhead = bridge.Lags.Percentile(95) <= roundRobin.Lags.Percentile(95);
        var callsAhead = bridge.CallsPerJob.Average() <= roundRobin.CallsPerJob.Average();
        var fixedSchedules = workload.Kinds.Any(k => k.Kind == JobKind.Video)
            ? $"image schedule ({Describe(imageSchedule)}) and video schedule ({Describe(new Polling.PollingOptions().Video)})"
            : $"image schedule ({Describe(imageSchedule)})";
        var schedules = mode == Polling.PollMode.Learned
            ? $"learned schedules; the fixed {fixedSchedules} only until enough jobs of a kind were seen"
            : $"fixed {fixedSchedules}";
        if (lagAhead && callsAhead)
        {
            report.Notes.Add($"The bridge ({schedules}) is ahead of the budgeted round-robin poller on both p95 lag and calls per job.");
            return;
        }

        var behind = lagAhead ? "calls per job" : callsAhead ? "p95 lag" : "p95 lag nor calls per job";
        if (mode == Polling.PollMode.Fixed)
        {
            report.Notes.Add(
                $"The bridge is not ahead of the budgeted round-robin poller on {behind}. " +
                $"Why: the bridge's {schedules} is fixed per kind and knows neither this workload's durations nor the budget left. " +
                "When the budget is spare, a fixed schedule spends calls on jobs that cannot have finished yet, or waits longer than the budget would allow; " +
                $"when the budget ({budget}/min) binds, due polls queue oldest-first and every strategy's lag is set by how many jobs share it. " +
                "What would change it: the learned schedule (the default; --schedule learned).");
            return;
        }

        var budgetBound = context.PaceSamples.Any(p => p > 1.05);
        report.Notes.Add(
            $"The bridge ({schedules}) is not ahead of the budgeted round-robin poller on {behind}. " +
            (lagAhead
                ? "With the budget spare, learned schedules look at every running job once per minimum interval after it can plausibly have finished, " +
                  "while round-robin, held to the same bucket, spreads fewer calls over every job in flight; the bridge buys its lower lag with those calls. "
                : budgetBound
                    ? $"Why: while the budget ({budget}/min) binds, the time between two looks follows the number of running jobs, which rises and falls with the arrivals. "
                    : "Why: the budget was spare, so the bridge looked at each running job once per minimum interval (1 s), as often as round-robin does at this load; " +
                      "its lag also carries the way from the noticing poll to the event (store, outbox, RabbitMQ), while the baselines' lag ends at the terminal answer. ") +
            "The learned estimate and the pace are listed above.");
    }

    private static async Task<StrategyResult> RunBridgeAsync(RunContext context, string store, CancellationToken cancellationToken)
    {
        await using var simulator = await SimulatorHost.StartAsync(o => o.RequestsPerMinute = context.RealBudget, cancellationToken);
        string connectionString;
        string provider;
        if (store == "postgres")
        {
            connectionString = await BenchServers.CreateDatabaseAsync("statusbridge_bench_lag", cancellationToken);
            provider = "Postgres";
        }
        else
        {
            connectionString = BridgeLauncher.SqliteConnectionString("lag");
            provider = "Sqlite";
        }

        var settings = ScaledSettings(context, simulator, provider, connectionString);
        var noticed = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var app = await BridgeLauncher.StartAsync(settings, counters: null, cancellationToken);
        try
        {
            var bus = app.Services.GetRequiredService<IBus>();
            await ListenAsync(bus, "bench-lag-outcomes", noticed, WarmUpPrefix, cancellationToken);
            await WarmUpAsync(context, simulator, app.Services, bus, cancellationToken);
            // The pace through the measured run, sampled once a scenario second, for the report.
            var pace = app.Services.GetRequiredService<PollPace>();
            var schedule = app.Services.GetRequiredService<LearnedPollSchedule>();
            EndpointKind[] kinds = [EndpointKind.Image, EndpointKind.Video];
            using var sampling = new CancellationTokenSource();
            var samples = Task.Run(
                async () =>
                {
                    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1) / context.Scale);
                    while (await timer.WaitForNextTickAsync(sampling.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
                    {
                        if (!context.Measuring)
                        {
                            continue;
                        }

                        context.PaceSamples.Enqueue(pace.Factor);
                        context.PlannedSamples.Enqueue(pace.Planned / pace.MinInterval);
                        context.EarlyShareSamples.Enqueue(pace.EarlyShare);
                        context.SkipShareSamples.Enqueue(pace.SkipShare);
                        foreach (var kind in kinds.Where(schedule.Active))
                        {
                            context.WindowStartSamples.GetOrAdd(kind, _ => []).Enqueue(schedule.Window(kind).From * context.Scale);
                        }
                    }
                },
                CancellationToken.None);
            var result = await DriveAsync(context, Bridge, simulator, noticed, job => bus.Publish(
                new TrackRequest { RequestId = job.Id, EndpointKind = job.Kind == JobKind.Video ? EndpointKind.Video : EndpointKind.Image, CorrelationId = job.Id },
                cancellationToken), cancellationToken);
            await sampling.CancelAsync();
            await samples;
            DescribeWhatWasLearned(context, app.Services);
            return result;
        }
        finally
        {
            await BridgeLauncher.StopAsync(app, provider, connectionString);
        }
    }

    /// <summary>Records when each outcome event reaches a subscriber on the bridge's bus, except those of requests whose
    /// id starts with <paramref name="ignoredPrefix"/> (a warm-up that the run waits for otherwise).</summary>
    internal static async Task ListenAsync(
        IBus bus, string queue, ConcurrentDictionary<string, DateTimeOffset> noticed, string? ignoredPrefix, CancellationToken cancellationToken)
    {
        var endpoint = bus.ConnectReceiveEndpoint(queue, e =>
        {
            e.Handler<RequestCompleted>(c =>
            {
                Notice(noticed, c.Message.RequestId, ignoredPrefix);
                return Task.CompletedTask;
            });
            e.Handler<RequestFailed>(c =>
            {
                Notice(noticed, c.Message.RequestId, ignoredPrefix);
                return Task.CompletedTask;
            });
        });
        await endpoint.Ready.WaitAsync(cancellationToken);
    }

    /// <summary>The bridge's settings for a run: the scenario's budget over a scenario minute and every delay divided
    /// by the time scale.</summary>
    internal static Dictionary<string, string?> ScaledSettings(RunContext context, SimulatorHost simulator, string provider, string connectionString)
    {
        var settings = BridgeLauncher.Base(simulator.BaseUrl, simulator.ApiToken, provider, connectionString);
        var defaults = new Polling.PollingOptions();
        // The scenario's budget over a scenario minute: the token bucket's burst scales with the minute, not only its rate.
        settings["Polling:RequestsPerMinute"] = context.Budget.ToString(CultureInfo.InvariantCulture);
        settings["Polling:BudgetWindow"] = BridgeLauncher.Span(context.Minute);
        settings["Polling:MaxIdleDelay"] = BridgeLauncher.Span(Max(TimeSpan.FromMilliseconds(50), defaults.MaxIdleDelay / context.Scale));
        settings["Notifications:MaxIdleDelay"] = BridgeLauncher.Span(Max(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2) / context.Scale));
        foreach (var (kind, schedule) in new[] { ("Image", context.ImageSchedule), ("Video", context.VideoSchedule) })
        {
            settings[$"Polling:{kind}:FirstDelay"] = BridgeLauncher.Span(schedule.FirstDelay / context.Scale);
            settings[$"Polling:{kind}:Interval"] = BridgeLauncher.Span(schedule.Interval / context.Scale);
            settings[$"Polling:{kind}:Ceiling"] = BridgeLauncher.Span(schedule.Ceiling / context.Scale);
            settings[$"Polling:{kind}:Growth"] = schedule.Growth.ToString(CultureInfo.InvariantCulture);
        }

        settings["Polling:ThrottlePause"] = BridgeLauncher.Span(Max(TimeSpan.FromMilliseconds(10), defaults.ThrottlePause / context.Scale));
        foreach (var kind in new[] { "Image", "Video", "StructuredPrompt" })
        {
            settings[$"Polling:{kind}:Mode"] = context.Mode.ToString();
        }

        settings["Polling:Learning:MinInterval"] = BridgeLauncher.Span(defaults.Learning.MinInterval / context.Scale);
        settings["Polling:Learning:RefreshInterval"] = BridgeLauncher.Span(Max(TimeSpan.FromMilliseconds(50), defaults.Learning.RefreshInterval / context.Scale));
        return settings;
    }

    private static void Notice(ConcurrentDictionary<string, DateTimeOffset> noticed, string requestId, string? ignoredPrefix)
    {
        if (ignoredPrefix is null || !requestId.StartsWith(ignoredPrefix, StringComparison.Ordinal))
        {
            noticed.TryAdd(requestId, TimeProvider.System.GetUtcNow());
        }
    }

    /// <summary>Tracks the warm-up jobs at once and waits until every kind among them polls on its learned schedule
    /// (bounded by the longest job); then clears the simulator's counts, so that only the measured arrivals count.</summary>
    private static async Task WarmUpAsync(RunContext context, SimulatorHost simulator, IServiceProvider services, IBus bus, CancellationToken cancellationToken)
    {
        if (context.WarmUp.Count == 0)
        {
            return;
        }

        var schedule = services.GetRequiredService<LearnedPollSchedule>();
        var kinds = context.WarmUp.Select(a => a.Kind == JobKind.Video ? EndpointKind.Video : EndpointKind.Image).Distinct().ToList();
        context.Progress.Phase($"bridge: warming up on {context.WarmUp.Count} jobs until {string.Join(" and ", kinds)} poll on learned schedules");
        var started = Stopwatch.GetTimestamp();
        foreach (var job in context.WarmUp)
        {
            simulator.State.CreateJob(new JobSpec { RequestId = job.Id, EndpointKind = job.Kind, DurationMs = (long)(job.Duration * 1000 / context.Scale), Outcome = JobOutcome.Completed });
            await bus.Publish(
                new TrackRequest { RequestId = job.Id, EndpointKind = job.Kind == JobKind.Video ? EndpointKind.Video : EndpointKind.Image, CorrelationId = job.Id },
                cancellationToken);
        }

        var deadline = TimeSpan.FromSeconds((context.MaxDuration + 60) / context.Scale);
        while (!kinds.All(schedule.Active) && Stopwatch.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(50, cancellationToken);
            context.Progress.Tick(() => $"bridge: warming up, {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        }

        context.WarmUpSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        context.Progress.Phase($"bridge: warmed up in {context.WarmUpSeconds:0.0} s (real); learned schedules in use: {string.Join(", ", kinds.Where(schedule.Active))}");
        simulator.State.ResetStats();
    }

    /// <summary>What the bridge learned by the end of its run, in scenario seconds, for the report.</summary>
    private static void DescribeWhatWasLearned(RunContext context, IServiceProvider services)
    {
        var learning = services.GetRequiredService<DurationLearning>();
        var schedule = services.GetRequiredService<LearnedPollSchedule>();
        var pace = services.GetRequiredService<PollPace>();
        var kinds = learning.Estimates.Values
            .OrderBy(e => e.Kind)
            .Select(e => FormattableString.Invariant(
                $"{e.Kind}: {e.Histogram.Observations} jobs seen, p50 {e.Histogram.Quantile(0.5) * context.Scale:0.0} s, p95 {e.Histogram.Quantile(0.95) * context.Scale:0.0} s, polling window {schedule.Window(e.Kind).From * context.Scale:0.0}-{schedule.Window(e.Kind).To * context.Scale:0.0} s, learned schedule {(schedule.Active(e.Kind) ? "in use" : "not in use")}"));
        var paces = context.PaceSamples.Order().ToList();
        var paceRange = paces.Count == 0
            ? ""
            : FormattableString.Invariant($" Time between two looks at a running job through the measured run (the planned interval plus how late the budget's queue ran claimed polls): median {paces[paces.Count / 2] * services.GetRequiredService<IOptions<PollingOptions>>().Value.Learning.MinInterval.TotalSeconds * context.Scale:0.00} s, from {paces[0]:0.0}x to {paces[^1]:0.0}x the minimum interval.");
        var planned = context.PlannedSamples.Order().ToList();
        if (planned.Count > 0)
        {
            paceRange += FormattableString.Invariant($" The planned interval alone: median {planned[planned.Count / 2]:0.00}x the minimum interval, from {planned[0]:0.00}x to {planned[^1]:0.00}x.");
        }

        var early = context.EarlyShareSamples.Order().ToList();
        if (early.Count > 0)
        {
            paceRange += FormattableString.Invariant($" Share of the calls that went to looks taken early (calls the plan left unspent): median {early[early.Count / 2] * 100:0.0}%, from {early[0] * 100:0.0}% to {early[^1] * 100:0.0}%.");
        }
        var shares = context.SkipShareSamples.Order().ToList();
        var shareRange = shares.Count == 0
            ? ""
            : FormattableString.Invariant($" Share of all jobs the windows left out (split among the kinds where it saves most): median {shares[shares.Count / 2] * 100:0.0#}%, from {shares[0] * 100:0.0#}% to {shares[^1] * 100:0.0#}% (3% while the budget binds, 1% while it is spare).");
        var starts = context.WindowStartSamples
            .OrderBy(k => k.Key)
            .Select(k => (Kind: k.Key, Samples: k.Value.Order().ToList()))
            .Where(k => k.Samples.Count > 0)
            .Select(k => FormattableString.Invariant($"{k.Kind} median {k.Samples[k.Samples.Count / 2]:0.0} s, from {k.Samples[0]:0.0} to {k.Samples[^1]:0.0} s"))
            .ToList();
        var startRange = starts.Count == 0 ? "" : $" Where each kind's window opened through the measured run: {string.Join("; ", starts)}.";
        var warmedUp = context.WarmUp.Count > 0 ? FormattableString.Invariant($" The warm-up took {context.WarmUpSeconds:0.0} s (real).") : "";
        context.Learned.Add(FormattableString.Invariant(
            $"What the bridge learned by the end of its run (durations from tracking start, scenario seconds): {string.Join("; ", kinds)}. At the end: {pace.Interval.TotalSeconds * context.Scale:0.00} s between looks at a running job ({pace.Factor:0.0}x the minimum interval).{paceRange}{shareRange}{startRange}{warmedUp}"));
    }

    private static async Task<StrategyResult> RunOfficialAsync(RunContext context, CancellationToken cancellationToken)
    {
        await using var simulator = await SimulatorHost.StartAsync(ct: cancellationToken);
        using var client = StatusHttp.Create(simulator);
        var noticed = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var interval = TimeSpan.FromSeconds(1) / context.Scale;
        var giveUp = TimeSpan.FromSeconds(60) / context.Scale;
        var loops = new ConcurrentBag<Task>();
        // Once every measured job is noticed, the loops of the unmeasured ones still running stop.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var result = await DriveAsync(context, Official, simulator, noticed, job =>
        {
            // The official client's poll(): one call, then a fixed sleep, until a terminal answer or 60 s.
            loops.Add(Task.Run(
                async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        while (!stop.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < giveUp)
                        {
                            if (await StatusHttp.IsTerminalAsync(client, job.Id, stop.Token) == true)
                            {
                                noticed.TryAdd(job.Id, TimeProvider.System.GetUtcNow());
                                return;
                            }

                            await Task.Delay(interval, stop.Token);
                        }
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        // The run is over.
                    }
                },
                CancellationToken.None));
            return Task.CompletedTask;
        }, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return result;
    }

    private static async Task<StrategyResult> RunRoundRobinAsync(RunContext context, CancellationToken cancellationToken)
    {
        await using var simulator = await SimulatorHost.StartAsync(o => o.RequestsPerMinute = context.RealBudget, cancellationToken);
        using var client = StatusHttp.Create(simulator);
        var noticed = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var interval = TimeSpan.FromSeconds(1) / context.Scale;
        var queue = new Queue<(string Id, long DueAt)>();
        var gate = new Lock();
        var inFlight = new SemaphoreSlim(64);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Every active job once per interval, in arrival order, but never faster than the same token bucket the
        // bridge uses: when the budget is short the interval stretches for everyone alike.
        var pacer = Task.Run(
            async () =>
            {
                var budget = BudgetPolicy.FromRequestsPerWindow(context.Budget, context.Minute);
                var tokens = 0.0;
                var refilled = Stopwatch.GetTimestamp();
                while (!stop.IsCancellationRequested)
                {
                    var now = Stopwatch.GetTimestamp();
                    tokens = Math.Min(budget.Capacity, tokens + (Stopwatch.GetElapsedTime(refilled, now).TotalMilliseconds * budget.TokensPerMillisecond));
                    refilled = now;
                    if (tokens < 1)
                    {
                        await Delay(TimeSpan.FromMilliseconds((1 - tokens) / budget.TokensPerMillisecond), stop.Token);
                        continue;
                    }

                    string? id = null;
                    var wait = TimeSpan.FromMilliseconds(5);
                    lock (gate)
                    {
                        if (queue.TryPeek(out var head))
                        {
                            if (head.DueAt <= now)
                            {
                                id = queue.Dequeue().Id;
                            }
                            else
                            {
                                wait = Stopwatch.GetElapsedTime(now, head.DueAt);
                            }
                        }
                    }

                    if (id is null)
                    {
                        await Delay(wait, stop.Token);
                        continue;
                    }

                    tokens -= 1;
                    await inFlight.WaitAsync(stop.Token);
                    _ = Task.Run(
                        async () =>
                        {
                            try
                            {
                                if (await StatusHttp.IsTerminalAsync(client, id, stop.Token) == true)
                                {
                                    noticed.TryAdd(id, TimeProvider.System.GetUtcNow());
                                    return;
                                }

                                lock (gate)
                                {
                                    queue.Enqueue((id, Stopwatch.GetTimestamp() + (long)(interval.TotalSeconds * Stopwatch.Frequency)));
                                }
                            }
                            catch (OperationCanceledException)
                            {
                                // The run is over.
                            }
                            finally
                            {
                                inFlight.Release();
                            }
                        },
                        CancellationToken.None);
                }
            },
            CancellationToken.None);

        try
        {
            return await DriveAsync(context, RoundRobin, simulator, noticed, job =>
            {
                lock (gate)
                {
                    queue.Enqueue((job.Id, Stopwatch.GetTimestamp()));
                }

                return Task.CompletedTask;
            }, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await pacer;
        }
    }

    /// <summary>Creates the jobs at their arrival times, hands each to the strategy, waits until all are noticed
    /// (or a bounded time passed), and reads the simulator's call statistics.</summary>
    internal static async Task<StrategyResult> DriveAsync(
        RunContext context,
        string name,
        SimulatorHost simulator,
        ConcurrentDictionary<string, DateTimeOffset> noticed,
        Func<LagArrival, Task> arrive,
        CancellationToken cancellationToken,
        Uri? webhookUrl = null)
    {
        context.Progress.Phase($"{name}: {context.Plan.Count} measured jobs over {context.Plan[^1].At / context.Scale:0.0} s (real), {context.Surround.Count} more around them");
        var measured = context.Plan.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var lastMeasured = context.Plan[^1].At;
        int Noticed() => measured.Count(noticed.ContainsKey);
        var started = Stopwatch.GetTimestamp();
        foreach (var job in context.Plan.Concat(context.Surround).OrderBy(a => a.At))
        {
            if (job.At > lastMeasured && Noticed() == context.Plan.Count)
            {
                break;
            }

            context.Measuring |= measured.Contains(job.Id);

            var due = TimeSpan.FromSeconds(job.At / context.Scale) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            simulator.State.CreateJob(new JobSpec
            {
                RequestId = job.Id,
                EndpointKind = job.Kind,
                DurationMs = (long)(job.Duration * 1000 / context.Scale),
                Outcome = JobOutcome.Completed,
                WebhookUrl = webhookUrl,
            });
            await arrive(job);
            context.Progress.Tick(() => $"{name}: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, {Noticed()}/{context.Plan.Count} noticed, {simulator.State.GetStats().TotalStatusCalls} status calls");
        }

        // Bounded: every job has finished after its duration; a minute (scenario time) more is ample for any strategy.
        var deadline = TimeSpan.FromSeconds((context.Plan[^1].At + context.Plan.Max(p => p.Duration) + 60) / context.Scale);
        while (Noticed() < context.Plan.Count && Stopwatch.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(50, cancellationToken);
            context.Progress.Tick(() => $"{name}: draining, {Noticed()}/{context.Plan.Count} noticed");
        }

        context.Measuring = false;

        var stats = simulator.State.GetStats();
        // Each measured job: its lag to the strategy knowing, and to the status answer that found it finished (the
        // simulator's clock: where a poller's schedule ends and, for the bridge, its way to the event - store, outbox,
        // bus - begins), in scenario seconds; null when never.
        var jobs = context.Plan.Select(p =>
        {
            stats.Requests.TryGetValue(p.Id, out var request);
            double? Since(DateTimeOffset? at) =>
                request?.FinishesAt is { } finishedAt && at is { } seen ? (seen - finishedAt).TotalSeconds * context.Scale : null;
            // The job's age at each status call.
            IReadOnlyList<double> looks = request?.CreatedAt is { } created
                ? [.. request.CallTimes.Select(c => (c - created).TotalSeconds * context.Scale)]
                : [];
            return new JobFigures(p, Since(noticed.TryGetValue(p.Id, out var at) ? at : null), Since(request?.FirstTerminalReadAt), request?.Count ?? 0) { Looks = looks };
        }).ToList();
        var lags = new Latencies();
        var answerLags = new Latencies();
        foreach (var job in jobs.Where(j => j.Lag is not null))
        {
            lags.Record(job.Lag!.Value * 1000);
            if (job.AnswerLag is { } answerLag)
            {
                answerLags.Record(answerLag * 1000);
            }
        }

        var calls = jobs.Select(j => j.Calls).ToList();
        context.Progress.Phase($"{name}: {Noticed()}/{context.Plan.Count} noticed, {stats.TotalStatusCalls} status calls, p95 lag {Latencies.Seconds(lags.Percentile(95))} s");
        // The measured jobs' calls; the peak per minute counts every call, the unmeasured jobs' too (the budget is one).
        return new StrategyResult(name, lags, answerLags, calls, calls.Sum(), PeakPerMinute(stats, context.Scale), stats.RateLimited) { Jobs = jobs };
    }

    /// <summary>One line per job and strategy: where each lag came from, for anyone who wants to look further than the
    /// percentiles (by kind, by arrival time, by duration), and the job's age at each status call (where its schedule
    /// looked, space-separated). RFC 4180: a field holding a comma or a quote (the baselines'
    /// names do: "round-robin 1 s, budgeted") is quoted, so that every line reads as the header's nine fields.</summary>
    internal static string JobsCsv(IEnumerable<StrategyResult> results)
    {
        static string S(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "";
        static string Field(string value) =>
            value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        var csv = new StringBuilder("strategy,request_id,kind,arrived_s,duration_s,lag_s,answer_lag_s,calls,look_ages_s\n");
        foreach (var result in results)
        {
            foreach (var job in result.Jobs)
            {
                csv.Append(Field(result.Name)).Append(',').Append(Field(job.Job.Id)).Append(',').Append(job.Job.Kind.ToString().ToLowerInvariant()).Append(',')
                    .Append(S(job.Job.At)).Append(',').Append(S(job.Job.Duration)).Append(',').Append(S(job.Lag)).Append(',')
                    .Append(S(job.AnswerLag)).Append(',').Append(job.Calls.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .AppendJoin(' ', job.Looks.Select(look => S(look))).Append('\n');
            }
        }

        return csv.ToString();
    }

    internal static int PeakPerMinute(SimulatorStats stats, double scale)
    {
        var times = stats.Requests.Values.SelectMany(r => r.CallTimes).Order().ToArray();
        var window = TimeSpan.FromMinutes(1) / scale;
        var peak = 0;
        var start = 0;
        for (var end = 0; end < times.Length; end++)
        {
            while (times[end] - times[start] >= window)
            {
                start++;
            }

            peak = Math.Max(peak, end - start + 1);
        }

        return peak;
    }

    private static Task Delay(TimeSpan wait, CancellationToken cancellationToken) =>
        Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal static string F(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString("0.00", CultureInfo.InvariantCulture);

    internal sealed record RunContext(
        IReadOnlyList<LagArrival> Plan,
        double Scale,
        int Budget,
        Progress Progress,
        Polling.PollSchedule ImageSchedule,
        Polling.PollSchedule VideoSchedule,
        Polling.PollMode Mode,
        IReadOnlyList<LagArrival> WarmUp,
        double MaxDuration)
    {
        /// <summary>Unmeasured jobs of the same workload around the measured ones (ids not in <see cref="Plan"/>), so
        /// that the measured jobs meet a steady load: before them, and after them until the last is noticed.</summary>
        public IReadOnlyList<LagArrival> Surround { get; init; } = [];

        /// <summary>Whether the measured jobs are arriving or running (from the first measured arrival until every
        /// measured job is noticed): when the bridge's pace and windows are sampled.</summary>
        public bool Measuring { get; set; }

        /// <summary>How long (real seconds) the bridge's warm-up took.</summary>
        public double WarmUpSeconds { get; set; }

        /// <summary>The bridge's pace (a multiple of the minimum interval) once a scenario second through the measured run.</summary>
        public ConcurrentQueue<double> PaceSamples { get; } = [];

        /// <summary>The planned interval as a multiple of the minimum interval, sampled through the measured run.</summary>
        public ConcurrentQueue<double> PlannedSamples { get; } = [];

        /// <summary>The share of the calls that went to looks taken early, sampled through the measured run.</summary>
        public ConcurrentQueue<double> EarlyShareSamples { get; } = [];

        /// <summary>The share of each kind's jobs the bridge's polling windows left out, once a scenario second through the measured run.</summary>
        public ConcurrentQueue<double> SkipShareSamples { get; } = [];

        /// <summary>Where each kind's polling window opened (scenario seconds of age), once a scenario second through the measured run.</summary>
        public ConcurrentDictionary<EndpointKind, ConcurrentQueue<double>> WindowStartSamples { get; } = new();

        /// <summary>Notes on what the bridge learned in its run.</summary>
        public List<string> Learned { get; } = [];

        /// <summary>The simulator's budget is per real minute; the scenario's minute is shorter by the time scale.</summary>
        public int RealBudget => (int)Math.Round(Budget * Scale);

        /// <summary>A scenario minute in real time.</summary>
        public TimeSpan Minute => TimeSpan.FromMinutes(1) / Scale;
    }

    /// <summary>One job of a strategy's run: its arrival, its notification and answer lags (scenario seconds; null when
    /// never) and its status calls.</summary>
    internal sealed record JobFigures(LagArrival Job, double? Lag, double? AnswerLag, int Calls)
    {
        /// <summary>The job's age (scenario seconds) at each of its status calls, in order.</summary>
        public IReadOnlyList<double> Looks { get; init; } = [];
    }

    internal sealed record StrategyResult(string Name, Latencies Lags, Latencies AnswerLags, IReadOnlyList<int> CallsPerJob, long TotalCalls, int PeakCallsPerMinute, long Throttled)
    {
        /// <summary>Every job of the run, in arrival order (for the per-job CSV).</summary>
        public IReadOnlyList<JobFigures> Jobs { get; init; } = [];

        /// <summary>The figures every scenario's JSON gives per strategy (lags in milliseconds); a scenario adds its own.</summary>
        public JsonObject Figures(int jobs) => new()
        {
            ["notified"] = Lags.Count,
            ["jobs"] = jobs,
            ["lag_p50_ms"] = Lags.Percentile(50),
            ["lag_p95_ms"] = Lags.Percentile(95),
            ["lag_p99_ms"] = Lags.Percentile(99),
            ["lag_max_ms"] = Lags.Max,
            ["calls_per_job"] = CallsPerJob.Average(),
            ["total_calls"] = TotalCalls,
        };
    }
}
