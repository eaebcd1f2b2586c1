using System.Diagnostics;
using System.Globalization;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using MassTransit;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>Status calls per second through the whole scheduler (claim, poll, write back) with no budget and jobs
/// that never finish, beside raw <see cref="HttpClient"/> GETs at the same concurrency against the same simulator.</summary>
internal sealed class PollThroughputScenario : IScenario
{
    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var jobs = options.Integer("jobs", 1000, 100);
        var concurrency = options.Integer("concurrency", 32, 8);
        var window = TimeSpan.FromSeconds(options.Number("seconds", 15, 2));
        var warmup = TimeSpan.FromSeconds(options.Number("warmup", 3, 1));
        report.Parameters["jobs"] = jobs.ToString(CultureInfo.InvariantCulture);
        report.Parameters["concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
        report.Parameters["window"] = $"{window.TotalSeconds} s after {warmup.TotalSeconds} s warm-up";

        await using var simulator = await SimulatorHost.StartAsync(ct: cancellationToken);
        var ids = Enumerable.Range(0, jobs).Select(i => $"tp-{i:D6}").ToArray();
        foreach (var id in ids)
        {
            simulator.State.CreateJob(new JobSpec { RequestId = id, EndpointKind = JobKind.Image, DurationMs = (long)TimeSpan.FromDays(1).TotalMilliseconds, Outcome = JobOutcome.Completed });
        }

        var runs = new List<Run> { await RunRawAsync(simulator, ids, concurrency, warmup, window, progress, cancellationToken) };
        foreach (var store in new[] { "Sqlite", "Postgres" })
        {
            runs.Add(await RunBridgeAsync(simulator, ids, store, concurrency, warmup, window, progress, cancellationToken));
        }

        var raw = runs[0];
        var table = report.AddTable("Status calls per second (no budget, every job due all the time)", "poller", "calls/s", "ratio to raw", "CPU s per 1,000 calls", "cores busy");
        foreach (var run in runs)
        {
            table.Add(
                run.Name,
                run.CallsPerSecond.ToString("0", CultureInfo.InvariantCulture),
                (run.CallsPerSecond / raw.CallsPerSecond).ToString("0.00", CultureInfo.InvariantCulture),
                run.CpuPerThousand.ToString("0.000", CultureInfo.InvariantCulture),
                (run.Cpu / window).ToString("0.00", CultureInfo.InvariantCulture));
            report.Data[run.Name] = new System.Text.Json.Nodes.JsonObject
            {
                ["calls_per_second"] = run.CallsPerSecond,
                ["cpu_seconds_per_1000_calls"] = run.CpuPerThousand,
                ["cores_busy"] = run.Cpu / window,
            };
        }

        var stages = report.AddTable("Where the scheduler's time goes (wall time in each stage during the window)", "store", "stage", "calls", "rows", "ms each", "share of window");
        foreach (var run in runs.Where(r => r.Stages is not null))
        {
            foreach (var (stage, (calls, items, time)) in run.Stages!.OrderByDescending(s => s.Value.Time))
            {
                stages.Add(
                    run.Name,
                    stage,
                    calls.ToString(CultureInfo.InvariantCulture),
                    items.ToString(CultureInfo.InvariantCulture),
                    (time.TotalMilliseconds / Math.Max(1, calls)).ToString("0.00", CultureInfo.InvariantCulture),
                    (time / window).ToString("0.00", CultureInfo.InvariantCulture));
            }
        }

        report.Plots.Add(("calls-per-second", "Status calls per second", SvgChart.Bars(
            "Status calls per second", "poller", "calls/s", [.. runs.Select(r => r.Name)], [("calls/s", [.. runs.Select(r => r.CallsPerSecond)])])));
        report.Notes.Add("Calls are counted by the simulator (every status call it served in the window). The simulator runs in the same process, so CPU seconds include serving the calls: compare the rows with each other, not with zero.");
        report.Notes.Add("'share of window' is wall time spent in that stage divided by the window; Bria calls overlap (up to the concurrency), so their share can exceed 1, while the claim and write-back each run one at a time: a share near 1 there means that stage is the bottleneck.");
        var sqlite = runs[1];
        report.Notes.Add(sqlite.CallsPerSecond >= raw.CallsPerSecond / 2
            ? $"On SQLite the scheduler reaches {sqlite.CallsPerSecond / raw.CallsPerSecond:0.00} of the raw HttpClient rate (acceptance: at least 0.5)."
            : $"On SQLite the scheduler reaches only {sqlite.CallsPerSecond / raw.CallsPerSecond:0.00} of the raw HttpClient rate (acceptance: 0.5); the stage table shows where the time goes.");
    }

    private static async Task<Run> RunRawAsync(SimulatorHost simulator, string[] ids, int concurrency, TimeSpan warmup, TimeSpan window, Progress progress, CancellationToken cancellationToken)
    {
        progress.Phase($"raw HttpClient: {concurrency} workers");
        using var client = StatusHttp.Create(simulator);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(warmup + window + TimeSpan.FromSeconds(1));
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(
            async () =>
            {
                for (var i = w; !stop.IsCancellationRequested; i += concurrency)
                {
                    try
                    {
                        using var response = await client.GetAsync($"v2/status/{ids[i % ids.Length]}", stop.Token);
                        await response.Content.ReadAsByteArrayAsync(stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            },
            CancellationToken.None)).ToList();
        var run = await MeasureAsync("raw HttpClient", simulator, warmup, window, progress, null, cancellationToken);
        await Task.WhenAll(workers);
        return run;
    }

    private static async Task<Run> RunBridgeAsync(SimulatorHost simulator, string[] ids, string store, int concurrency, TimeSpan warmup, TimeSpan window, Progress progress, CancellationToken cancellationToken)
    {
        progress.Phase($"bridge on {store}: tracking {ids.Length} requests");
        var connectionString = store == "Postgres"
            ? await BenchServers.CreateDatabaseAsync("statusbridge_bench_tp", cancellationToken)
            : BridgeLauncher.SqliteConnectionString("tp");
        var settings = BridgeLauncher.Base(simulator.BaseUrl, simulator.ApiToken, store, connectionString);
        settings["Polling:RequestsPerMinute"] = "1000000";
        settings["Polling:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
        settings["Polling:MaxIdleDelay"] = "00:00:00.050";
        settings["Polling:LeaseDuration"] = "00:01:00";
        settings["Polling:Image:FirstDelay"] = "00:00:00";
        settings["Polling:Image:Interval"] = "00:00:00.010";
        settings["Polling:Image:Growth"] = "1";
        settings["Polling:Image:Ceiling"] = "00:00:00.010";
        settings["Polling:Image:Jitter"] = "0";
        var counters = new StageCounters();
        var app = await BridgeLauncher.StartAsync(settings, counters, cancellationToken);
        try
        {
            var bus = app.Services.GetRequiredService<IBus>();
            await Task.WhenAll(ids.Select(id => bus.Publish(new TrackRequest { RequestId = id, EndpointKind = EndpointKind.Image }, cancellationToken)));
            return await MeasureAsync($"bridge, {store}", simulator, warmup, window, progress, counters, cancellationToken);
        }
        finally
        {
            await BridgeLauncher.StopAsync(app, store, connectionString);
        }
    }

    private static async Task<Run> MeasureAsync(string name, SimulatorHost simulator, TimeSpan warmup, TimeSpan window, Progress progress, StageCounters? counters, CancellationToken cancellationToken)
    {
        await Task.Delay(warmup, cancellationToken);
        using var process = Process.GetCurrentProcess();
        var calls0 = simulator.State.GetStats().TotalStatusCalls;
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var stages0 = counters?.Snapshot();
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < window)
        {
            await Task.Delay(200, cancellationToken);
            progress.Tick(() => $"{name}: {simulator.State.GetStats().TotalStatusCalls - calls0} calls in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var calls = simulator.State.GetStats().TotalStatusCalls - calls0;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var stages = counters is null ? null : StageCounters.Delta(stages0!, counters.Snapshot());
        var run = new Run(name, calls / elapsed.TotalSeconds, cpu.TotalSeconds / Math.Max(1, calls) * 1000, cpu, stages);
        progress.Phase($"{name}: {run.CallsPerSecond:0} calls/s, {run.CpuPerThousand:0.000} CPU s per 1,000 calls");
        // The simulator keeps every call time: start the next poller from an empty record.
        simulator.State.ResetStats();
        return run;
    }

    private sealed record Run(string Name, double CallsPerSecond, double CpuPerThousand, TimeSpan Cpu, IReadOnlyDictionary<string, (long Calls, long Items, TimeSpan Time)>? Stages);
}
