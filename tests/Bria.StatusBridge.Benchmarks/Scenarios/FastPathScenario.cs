using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Webhooks;
using MassTransit;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>Bria's push as the fast path: the same image arrivals tracked (a) with every push delivered, (b) with a
/// share of pushes lost, and (c) by the polling-only bridge, each on the same budget. Lag is Bria finishing to the
/// outcome event reaching a subscriber.</summary>
internal sealed class FastPathScenario : IScenario
{
    private const string Pushed = "bridge, Bria pushes every outcome";
    private const string PollingOnly = "bridge, polling only";

    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var workload = LagWorkload.From(options);
        var arrivalSeconds = options.Number("arrival-seconds", 120, 4);
        var budget = options.Integer("budget", 1000, 1000);
        var rate = options.Number("rate", 5, 5);
        // Real time by default: a push takes milliseconds, and a time scale would multiply them.
        var scale = options.Number("time-scale", 1, 4);
        var loss = options.Number("loss", 0.1, 0.25);
        var store = options.Text("store", "sqlite");
        var seed = options.Integer("seed", 1, 1);
        var plan = workload.Plan(rate, arrivalSeconds, seed);
        if (plan.Count == 0)
        {
            throw new ArgumentException("No jobs: raise --rate or --arrival-seconds.");
        }

        var defaults = new PollingOptions();
        var safety = defaults.PushSafety.Image;
        var lossName = $"bridge, {loss * 100:0}% of pushes lost";
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["workload"] = $"{workload.Name}: {workload.Description}",
            ["jobs"] = plan.Count.ToString(CultureInfo.InvariantCulture),
            ["arrivals"] = $"{rate.ToString("0.###", CultureInfo.InvariantCulture)}/s for {arrivalSeconds} s",
            ["budget"] = $"{budget} status calls/min",
            ["time scale"] = scale.ToString(CultureInfo.InvariantCulture),
            ["store"] = store,
            ["pushes lost in run (b)"] = $"{loss * 100:0}% (never sent: Bria's push is a hint)",
            ["safety schedule (image)"] = $"first poll after {safety.FirstDelay.TotalSeconds:0} s (+ up to {safety.Jitter * 100:0}%), then {safety.Interval.TotalSeconds:0} s growing {safety.Growth}x to {safety.Ceiling.TotalSeconds:0} s",
            ["polling-only image schedule"] = $"first poll after {defaults.Image.FirstDelay.TotalSeconds:0} s, then every {defaults.Image.Interval.TotalSeconds:0} s",
        })
        {
            report.Parameters[key] = value;
        }

        var context = new LagVsBudgetScenario.RunContext(
            plan, scale, budget, progress, defaults.Image, defaults.Video, Polling.PollMode.Fixed, [], workload.MaxSeconds);
        var runs = new List<(LagVsBudgetScenario.StrategyResult Result, Latencies Answers, long Lost)>
        {
            await RunAsync(context, Pushed, store, pushes: true, loss: 0, cancellationToken),
            await RunAsync(context, lossName, store, pushes: true, loss, cancellationToken),
            await RunAsync(context, PollingOnly, store, pushes: false, loss: 0, cancellationToken),
        };

        var table = report.AddTable(
            "Notification lag (Bria finished to event received, scenario milliseconds) and status calls",
            "bridge", "jobs notified", "lag p50 ms", "p95 ms", "p99 ms", "max ms", "calls/job", "total calls", "pushes lost", "webhook answer p99 ms");
        foreach (var (result, answers, lost) in runs)
        {
            table.Add(
                result.Name,
                $"{result.Lags.Count}/{plan.Count}",
                Ms(result.Lags.Percentile(50)),
                Ms(result.Lags.Percentile(95)),
                Ms(result.Lags.Percentile(99)),
                Ms(result.Lags.Max),
                LagVsBudgetScenario.F(result.CallsPerJob.Average()),
                result.TotalCalls.ToString(CultureInfo.InvariantCulture),
                lost.ToString(CultureInfo.InvariantCulture),
                answers.Count == 0 ? "-" : Ms(answers.Percentile(99)));
            var data = result.Figures(plan.Count);
            data["pushes_lost"] = lost;
            data["webhook_answer_p50_ms"] = answers.Count == 0 ? null : answers.Percentile(50);
            data["webhook_answer_p99_ms"] = answers.Count == 0 ? null : answers.Percentile(99);
            report.Data[result.Name] = data;
        }

        // Run (b): the jobs polling found are those whose push was lost (a delivered push ends a 3-20 s job long
        // before the first safety poll); each must be found by the safety schedule's first poll after it finished.
        var lossy = runs[1].Result;
        var polled = lossy.CallsPerJob.Count(c => c > 0);
        var firstSafetyPoll = safety.FirstDelay * (1 + safety.Jitter) / scale;
        // Plus a second of real time for the way from that poll to the event (claim, answer, store, outbox, RabbitMQ),
        // which a time scale stretches like any real delay: at scale 4 a busy machine's quarter second is a scenario
        // second. The second safety poll comes at least 30 s later, so the bound still tells the first from it.
        var ceiling = ((firstSafetyPoll - TimeSpan.FromSeconds(workload.Kinds.Min(k => k.Profile.MinDuration.TotalSeconds) / scale)).TotalMilliseconds + 1000) * scale;
        var lostLags = lossy.Lags.Values.Where(v => v > 1000).ToList();
        var within = lossy.Lags.Count == plan.Count && lostLags.All(v => v <= ceiling);
        var lostTable = report.AddTable("Run (b): pushes lost, found by the safety schedule", "pushes lost", "jobs polled", "their lag p50 s", "max s", "bound s", "every job notified, lost ones within the safety schedule");
        lostTable.Add(
            runs[1].Lost.ToString(CultureInfo.InvariantCulture),
            polled.ToString(CultureInfo.InvariantCulture),
            lostLags.Count == 0 ? "-" : LagVsBudgetScenario.F(lostLags.Order().ElementAt(lostLags.Count / 2) / 1000),
            lostLags.Count == 0 ? "-" : LagVsBudgetScenario.F(lostLags.Max() / 1000),
            LagVsBudgetScenario.F(ceiling / 1000),
            within ? "yes" : "no");
        report.Data["lost_found_within_safety_schedule"] = within;
        report.Data["safety_bound_ms"] = ceiling;
        report.Data["jobs"] = plan.Count;

        var pushed = runs[0].Result;
        var targets = report.AddTable("Targets", "target", "measured", "met");
        targets.Add("(a) lag p99 <= 100 ms", $"{Ms(pushed.Lags.Percentile(99))} ms", pushed.Lags.Percentile(99) <= 100 ? "yes" : "no");
        targets.Add("(a) <= 0.2 status calls per job", LagVsBudgetScenario.F(pushed.CallsPerJob.Average()), pushed.CallsPerJob.Average() <= 0.2 ? "yes" : "no");
        targets.Add("(b) every job notified, lost ones within the safety schedule", $"{lossy.Lags.Count}/{plan.Count}, lost max {(lostLags.Count == 0 ? "-" : LagVsBudgetScenario.F(lostLags.Max() / 1000))} s", within ? "yes" : "no");

        report.Plots.Add(("lag-cdf", "Notification lag CDF", SvgChart.Cdf(
            "Notification lag (scenario seconds)", "lag, s", [.. runs.Select(r => (r.Result.Name, (IReadOnlyList<double>)[.. r.Result.Lags.Values.Select(v => v / 1000)]))])));
        report.Notes.Add("Lag runs from the moment the simulator's job leaves IN_PROGRESS to the RequestCompleted event reaching a subscriber on the bridge's bus: for a push that is the simulator's POST, the signature check, the one terminal transaction (outcome and outbox row), and the outbox's publish.");
        report.Notes.Add($"The producer submits with the bridge's webhook_url and tracks with bria_pushes: true, so the request polls only on the safety schedule; a lost push is found by its first safety poll. The polling-only bridge runs the same arrivals on its usual schedule and the same budget.");
        report.Notes.Add("'Webhook answer' is the bridge's time from reading a webhook's body to answering it, the observation durably stored (metric bria.statusbridge.bria_webhook.duration).");
        if (scale != 1)
        {
            report.Notes.Add($"Times are scenario time: the run is {scale}x faster than real time, so every lag shown is the real lag times {scale}.");
        }
    }

    private static async Task<(LagVsBudgetScenario.StrategyResult, Latencies, long)> RunAsync(
        LagVsBudgetScenario.RunContext context, string name, string store, bool pushes, double loss, CancellationToken cancellationToken)
    {
        await using var simulator = await SimulatorHost.StartAsync(o => o.RequestsPerMinute = context.RealBudget, cancellationToken);
        var (provider, connectionString) = store == "postgres"
            ? ("Postgres", await BenchServers.CreateDatabaseAsync("statusbridge_bench_fast_path", cancellationToken))
            : ("Sqlite", BridgeLauncher.SqliteConnectionString("fast-path"));
        var settings = LagVsBudgetScenario.ScaledSettings(context, simulator, provider, connectionString);
        var safety = new PollingOptions().PushSafety.Image;
        settings["Polling:PushSafety:Image:FirstDelay"] = BridgeLauncher.Span(safety.FirstDelay / context.Scale);
        settings["Polling:PushSafety:Image:Interval"] = BridgeLauncher.Span(safety.Interval / context.Scale);
        settings["Polling:PushSafety:Image:Ceiling"] = BridgeLauncher.Span(safety.Ceiling / context.Scale);

        var answers = new Latencies();
        var measuring = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "bria.statusbridge.bria_webhook.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            if (Volatile.Read(ref measuring) == 1)
            {
                answers.Record(seconds * 1000);
            }
        });
        listener.Start();

        var noticed = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var app = await BridgeLauncher.StartAsync(settings, counters: null, cancellationToken, api: true);
        try
        {
            var bus = app.Services.GetRequiredService<IBus>();
            await LagVsBudgetScenario.ListenAsync(bus, "bench-fast-path-outcomes", noticed, ignoredPrefix: null, cancellationToken);
            var webhookUrl = pushes ? new Uri(new Uri(app.Urls.First()), "/v1/bria/webhooks") : null;
            await WarmUpAsync(simulator, bus, noticed, webhookUrl, pushes, cancellationToken);
            // Losses only for the measured jobs: a lost warm-up push would wait for its safety poll.
            simulator.State.SetWebhookSettings(new WebhookSettings { LossRate = loss });
            Interlocked.Exchange(ref measuring, 1);
            var result = await LagVsBudgetScenario.DriveAsync(
                context,
                name,
                simulator,
                noticed,
                job => bus.Publish(new TrackRequest { RequestId = job.Id, EndpointKind = EndpointKind.Image, CorrelationId = job.Id, BriaPushes = pushes }, cancellationToken),
                cancellationToken,
                webhookUrl);
            return (result, answers, simulator.State.GetStats().Webhooks.Lost);
        }
        finally
        {
            await BridgeLauncher.StopAsync(app, provider, connectionString);
        }
    }

    /// <summary>Fifty jobs through the whole path before the measured ones: the first webhooks, transactions and
    /// publishes pay for JIT (tiered compilation promotes a method after 30 calls) and first connections, which is
    /// start-up, not the steady state. Then a clean slate.</summary>
    private static async Task WarmUpAsync(
        SimulatorHost simulator, IBus bus, ConcurrentDictionary<string, DateTimeOffset> noticed, Uri? webhookUrl, bool pushes, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, 50).Select(i => $"warm-up-{i}-{Guid.NewGuid():N}").ToList();
        foreach (var id in ids)
        {
            simulator.State.CreateJob(new Simulator.Jobs.JobSpec
            {
                RequestId = id, EndpointKind = Simulator.Jobs.JobKind.Image, DurationMs = 200 + (ids.IndexOf(id) * 20), Outcome = Simulator.Jobs.JobOutcome.Completed,
                WebhookUrl = webhookUrl,
            });
            await bus.Publish(new TrackRequest { RequestId = id, EndpointKind = EndpointKind.Image, CorrelationId = id, BriaPushes = pushes }, cancellationToken);
        }

        var started = TimeProvider.System.GetTimestamp();
        while (!ids.All(noticed.ContainsKey) && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20, cancellationToken);
        }

        foreach (var id in ids)
        {
            noticed.TryRemove(id, out _);
        }

        simulator.State.ResetStats();
    }

    private static string Ms(double milliseconds) =>
        double.IsNaN(milliseconds) ? "-" : milliseconds.ToString(milliseconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
