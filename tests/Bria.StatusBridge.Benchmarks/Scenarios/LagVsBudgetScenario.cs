using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Simulator.Stats;
using Bria.StatusBridge.Tracking;
using MassTransit;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>The headline: how soon each strategy hears that a job finished, and how many status calls it spends,
/// on the same arrivals and (where it has one) the same budget.</summary>
internal sealed class LagVsBudgetScenario : IScenario
{
    private const string Bridge = "bridge";
    private const string Official = "official client (1 s, no budget)";
    private const string RoundRobin = "round-robin 1 s, budgeted";

    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var rate = options.Number("rate", 5, 5);
        var arrivalSeconds = options.Number("arrival-seconds", 240, 6);
        var minDuration = options.Number("min-duration", 3, 3);
        var maxDuration = options.Number("max-duration", 20, 6);
        var budget = options.Integer("budget", 1000, 1000);
        var scale = options.Number("time-scale", 4, 4);
        var store = options.Text("store", "sqlite");
        var seed = options.Integer("seed", 1, 1);
        // The bridge's image ceiling (default: the bridge's own), to compare schedules on the same arrivals.
        TimeSpan? imageCeiling = options.Given.ContainsKey("image-ceiling") ? TimeSpan.FromSeconds(options.Number("image-ceiling", 0, 0)) : null;
        double? imageGrowth = options.Given.ContainsKey("image-growth") ? options.Number("image-growth", 1.5, 1) : null;
        TimeSpan? imageInterval = options.Given.ContainsKey("image-interval") ? TimeSpan.FromSeconds(options.Number("image-interval", 1, 1)) : null;
        var random = new Random(seed);
        var jobCount = (int)Math.Round(rate * arrivalSeconds);
        var plan = Enumerable.Range(0, jobCount)
            .Select(i => new Arrival($"lag-{i:D6}", i / rate, minDuration + ((maxDuration - minDuration) * random.NextDouble())))
            .ToList();
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["jobs"] = jobCount.ToString(CultureInfo.InvariantCulture),
            ["arrivals"] = $"{rate}/s for {arrivalSeconds} s",
            ["image durations"] = $"uniform {minDuration}-{maxDuration} s",
            ["budget"] = $"{budget} status calls/min",
            ["time scale"] = scale.ToString(CultureInfo.InvariantCulture),
            ["store"] = store,
            ["bridge image ceiling"] = $"{(imageCeiling ?? new Polling.PollingOptions().Image.Ceiling).TotalSeconds} s",
            ["bridge image growth"] = (imageGrowth ?? new Polling.PollingOptions().Image.Growth).ToString(CultureInfo.InvariantCulture),
            ["bridge image interval"] = $"{(imageInterval ?? new Polling.PollingOptions().Image.Interval).TotalSeconds} s",
        })
        {
            report.Parameters[key] = value;
        }

        var context = new RunContext(plan, scale, budget, progress, imageCeiling, imageGrowth, imageInterval);
        var results = new List<StrategyResult>
        {
            await RunBridgeAsync(context, store, cancellationToken),
            await RunOfficialAsync(context, cancellationToken),
            await RunRoundRobinAsync(context, cancellationToken),
        };

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
            report.Data[result.Name] = new System.Text.Json.Nodes.JsonObject
            {
                ["notified"] = result.Lags.Count,
                ["lag_p50_ms"] = result.Lags.Percentile(50),
                ["lag_p95_ms"] = result.Lags.Percentile(95),
                ["lag_p99_ms"] = result.Lags.Percentile(99),
                ["lag_max_ms"] = result.Lags.Max,
                ["calls_per_job"] = result.CallsPerJob.Average(),
                ["total_calls"] = result.TotalCalls,
                ["peak_calls_per_minute"] = result.PeakCallsPerMinute,
                ["throttled"] = result.Throttled,
            };
        }

        var bridge = results[0];
        var ratios = report.AddTable("The bridge against each baseline (bridge / baseline; below 1 means the bridge is ahead)", "baseline", "p95 lag ratio", "p50 lag ratio", "calls/job ratio", "budget held by baseline");
        foreach (var baseline in results.Skip(1))
        {
            ratios.Add(
                baseline.Name,
                F(bridge.Lags.Percentile(95) / baseline.Lags.Percentile(95)),
                F(bridge.Lags.Percentile(50) / baseline.Lags.Percentile(50)),
                F(bridge.CallsPerJob.Average() / baseline.CallsPerJob.Average()),
                baseline.PeakCallsPerMinute <= budget ? "yes" : $"no: {baseline.PeakCallsPerMinute}/min needed");
        }

        report.Plots.Add(("lag-cdf", "Notification lag CDF", SvgChart.Cdf(
            "Notification lag (scenario seconds)", "lag, s", [.. results.Select(r => (r.Name, (IReadOnlyList<double>)[.. r.Lags.Values.Select(v => v / 1000)]))])));
        var maxCalls = Math.Min(40, results.Max(r => r.CallsPerJob.DefaultIfEmpty(0).Max()));
        report.Plots.Add(("polls-per-job", "Status calls per job", SvgChart.Bars(
            "Status calls per job (count of jobs)", "status calls", "jobs",
            [.. Enumerable.Range(1, maxCalls).Select(i => i.ToString(CultureInfo.InvariantCulture))],
            [.. results.Select(r => (r.Name, (IReadOnlyList<double>)[.. Enumerable.Range(1, maxCalls).Select(i => (double)r.CallsPerJob.Count(c => c == i))]))])));

        report.Notes.Add($"Lag is measured from the moment the simulator's job leaves IN_PROGRESS to the moment the strategy knows: for the bridge the RequestCompleted event arriving at a subscriber (through store, outbox and bus), for the baselines the terminal status answer. Times are scenario seconds: the run is {scale}x faster than real time (durations and poll intervals divided, the budget multiplied by {scale}), so calls per job and every ratio are unchanged.");
        report.Notes.Add($"The official client's strategy has no budget: its 'peak calls/min' is what an account would need to run it; with a {budget}/min limit it would be throttled (429) for most of the run.");
        report.Notes.Add("Peak calls/min is the most status calls in any sliding scenario minute, counted from the simulator's arrival times of every call.");
        Explain(report, bridge, results[2], budget);
    }

    private static void Explain(Report report, StrategyResult bridge, StrategyResult roundRobin, int budget)
    {
        var lagAhead = bridge.Lags.Percentile(95) <= roundRobin.Lags.Percentile(95);
        var callsAhead = bridge.CallsPerJob.Average() <= roundRobin.CallsPerJob.Average();
        if (lagAhead && callsAhead)
        {
            report.Notes.Add("The bridge is ahead of the budgeted round-robin poller on both p95 lag and calls per job.");
            return;
        }

        report.Notes.Add(
            $"The bridge is not ahead of the budgeted round-robin poller on {(lagAhead ? "calls per job" : callsAhead ? "p95 lag" : "p95 lag nor calls per job")}. " +
            "Why: the bridge's image schedule (first poll after 2 s, then 1 s growing by 1.5x to its ceiling) is fixed per request and knows nothing of the budget. " +
            "Late in a job its interval can exceed what the budget allows the round-robin poller (every active job about once per budget/jobs-in-flight), so a job finishing then waits longer to be noticed; " +
            $"while the budget ({budget}/min) is the binding limit, due polls queue oldest-first and every strategy's lag is set by how many jobs share the budget. " +
            "What would change it: a ceiling no longer than that round-robin period, " +
"or a scheduler that spreads the spare budget over the requests most likely to have finished (growth only when the budget is short).");
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

        var settings = BridgeLauncher.Base(simulator.BaseUrl, simulator.ApiToken, provider, connectionString);
        var defaults = new Polling.PollingOptions();
        settings["Polling:RequestsPerMinute"] = context.RealBudget.ToString(CultureInfo.InvariantCulture);
        settings["Polling:MaxIdleDelay"] = BridgeLauncher.Span(Max(TimeSpan.FromMilliseconds(50), defaults.MaxIdleDelay / context.Scale));
        settings["Notifications:MaxIdleDelay"] = BridgeLauncher.Span(Max(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2) / context.Scale));
        settings["Polling:Image:FirstDelay"] = BridgeLauncher.Span(defaults.Image.FirstDelay / context.Scale);
        settings["Polling:Image:Interval"] = BridgeLauncher.Span((context.ImageInterval ?? defaults.Image.Interval) / context.Scale);
        settings["Polling:Image:Ceiling"] = BridgeLauncher.Span((context.ImageCeiling ?? defaults.Image.Ceiling) / context.Scale);
        settings["Polling:Image:Growth"] = (context.ImageGrowth ?? defaults.Image.Growth).ToString(CultureInfo.InvariantCulture);
        settings["Polling:ThrottlePause"] = BridgeLauncher.Span(Max(TimeSpan.FromMilliseconds(10), defaults.ThrottlePause / context.Scale));

        var noticed = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var app = await BridgeLauncher.StartAsync(settings, counters: null, cancellationToken);
        try
        {
            var bus = app.Services.GetRequiredService<IBus>();
            var endpoint = bus.ConnectReceiveEndpoint("bench-lag-outcomes", e =>
            {
                e.Handler<RequestCompleted>(c =>
                {
                    noticed.TryAdd(c.Message.RequestId, TimeProvider.System.GetUtcNow());
                    return Task.CompletedTask;
                });
                e.Handler<RequestFailed>(c =>
                {
                    noticed.TryAdd(c.Message.RequestId, TimeProvider.System.GetUtcNow());
                    return Task.CompletedTask;
                });
            });
            await endpoint.Ready.WaitAsync(cancellationToken);
            return await DriveAsync(context, Bridge, simulator, noticed, job => bus.Publish(
                new TrackRequest { RequestId = job.Id, EndpointKind = EndpointKind.Image, CorrelationId = job.Id },
                cancellationToken), cancellationToken);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            if (provider == "Postgres")
            {
                await BenchServers.DropDatabaseAsync(connectionString);
            }
            else
            {
                BridgeLauncher.DeleteSqlite(connectionString);
            }
        }
    }

    private static async Task<StrategyResult> RunOfficialAsync(RunContext context, CancellationToken cancellationToken)
    {
        await using var simulator = await SimulatorHost.StartAsync(ct: cancellationToken);
        using var client = StatusHttp.Create(simulator);
        var noticed = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var interval = TimeSpan.FromSeconds(1) / context.Scale;
        var giveUp = TimeSpan.FromSeconds(60) / context.Scale;
        var loops = new ConcurrentBag<Task>();
        var result = await DriveAsync(context, Official, simulator, noticed, job =>
        {
            // The official client's poll(): one call, then a fixed sleep, until a terminal answer or 60 s.
            loops.Add(Task.Run(
                async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    while (!cancellationToken.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < giveUp)
                    {
                        if (await StatusHttp.IsTerminalAsync(client, job.Id, cancellationToken) == true)
                        {
                            noticed.TryAdd(job.Id, TimeProvider.System.GetUtcNow());
                            return;
                        }

                        await Task.Delay(interval, cancellationToken);
                    }
                },
                cancellationToken));
            return Task.CompletedTask;
        }, cancellationToken);
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
                var budget = BudgetPolicy.FromRequestsPerMinute(context.RealBudget);
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
    private static async Task<StrategyResult> DriveAsync(
        RunContext context,
        string name,
        SimulatorHost simulator,
        ConcurrentDictionary<string, DateTimeOffset> noticed,
        Func<Arrival, Task> arrive,
        CancellationToken cancellationToken)
    {
        context.Progress.Phase($"{name}: {context.Plan.Count} jobs over {context.Plan[^1].At / context.Scale:0.0} s (real)");
        var started = Stopwatch.GetTimestamp();
        foreach (var job in context.Plan)
        {
            var due = TimeSpan.FromSeconds(job.At / context.Scale) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            simulator.State.CreateJob(new JobSpec
            {
                RequestId = job.Id,
                EndpointKind = JobKind.Image,
                DurationMs = (long)(job.Duration * 1000 / context.Scale),
                Outcome = JobOutcome.Completed,
            });
            await arrive(job);
            context.Progress.Tick(() => $"{name}: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, {noticed.Count}/{context.Plan.Count} noticed, {simulator.State.GetStats().TotalStatusCalls} status calls");
        }

        // Bounded: every job has finished after its duration; a minute (scenario time) more is ample for any strategy.
        var deadline = TimeSpan.FromSeconds((context.Plan[^1].At + context.Plan.Max(p => p.Duration) + 60) / context.Scale);
        while (noticed.Count < context.Plan.Count && Stopwatch.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(50, cancellationToken);
            context.Progress.Tick(() => $"{name}: draining, {noticed.Count}/{context.Plan.Count} noticed");
        }

        var stats = simulator.State.GetStats();
        var lags = new Latencies();
        foreach (var (id, at) in noticed)
        {
            if (stats.Requests.TryGetValue(id, out var request) && request.FinishesAt is { } finishedAt)
            {
                lags.Record((at - finishedAt).TotalMilliseconds * context.Scale);
            }
        }

        var calls = context.Plan.Select(p => stats.Requests.TryGetValue(p.Id, out var r) ? r.Count : 0).ToList();
        context.Progress.Phase($"{name}: {noticed.Count}/{context.Plan.Count} noticed, {stats.TotalStatusCalls} status calls, p95 lag {Latencies.Seconds(lags.Percentile(95))} s");
        return new StrategyResult(name, lags, calls, stats.TotalStatusCalls, PeakPerMinute(stats, context.Scale), stats.RateLimited);
    }

    private static int PeakPerMinute(SimulatorStats stats, double scale)
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

    private static string F(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString("0.00", CultureInfo.InvariantCulture);

    private sealed record Arrival(string Id, double At, double Duration);

    private sealed record RunContext(IReadOnlyList<Arrival> Plan, double Scale, int Budget, Progress Progress, TimeSpan? ImageCeiling, double? ImageGrowth, TimeSpan? ImageInterval)
    {
        public int RealBudget => (int)Math.Round(Budget * Scale);
    }

    private sealed record StrategyResult(string Name, Latencies Lags, IReadOnlyList<int> CallsPerJob, long TotalCalls, int PeakCallsPerMinute, long Throttled);
}
