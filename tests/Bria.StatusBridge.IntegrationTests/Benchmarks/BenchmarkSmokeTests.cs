using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Benchmarks;
using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Benchmarks;

/// <summary>Each benchmark scenario at a tiny size (<c>--smoke</c>): it runs against the real servers, measures its
/// headline figures (each present, finite and above zero in the JSON report) and writes its Markdown report. The full runs
/// are not part of the suite.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class BenchmarkSmokeTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"statusbridge-bench-smoke-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("lag-vs-budget", "notified")]
    [InlineData("poll-throughput", "calls_per_second")]
    [InlineData("scale", "table_bytes,claim_p95_ratio,portal_list_p95_ratio,steady_polls_per_s")]
    [InlineData("intake", "messages_per_second")]
    [InlineData("webhook-throughput", "deliveries_per_second")]
    [InlineData("status-streams", "lag_p50_ms")]
    public async Task Scenario_measures_its_figures_at_a_tiny_size(string scenario, string figure)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var console = new StringWriter();
        var exitCode = await BenchmarkProgram.RunAsync([scenario, "--smoke", "--out", _output], console, timeout.Token);

        Assert.True(exitCode == 0, console.ToString());
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_output, $"{scenario}.json"), timeout.Token))!;
        foreach (var name in figure.Split(','))
        {
            var figures = report["data"]!.AsObject()
                .Where(run => run.Value is JsonObject measured && measured[name] is not null)
                .Select(run => (Run: run.Key, Value: run.Value![name]!.GetValue<double>()))
                .ToList();
            Assert.NotEmpty(figures);
            Assert.All(figures, f => Assert.True(double.IsFinite(f.Value) && f.Value > 0, $"{scenario} {f.Run}: {name} = {f.Value}"));
        }

        Assert.Equal(Environment.ProcessorCount, report["machine"]!["cores"]!.GetValue<int>());
        Assert.True(new FileInfo(Path.Combine(_output, $"{scenario}.md")).Length > 0);
    }

    [Theory]
    [InlineData("uniform", "3")]
    [InlineData("long-tail", "0.3")]
    [InlineData("mix", "3")]
    public async Task Lag_vs_budget_runs_each_workload_holds_the_budget_at_time_scale_10_and_reports_the_polling_bound(string workload, string load)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var console = new StringWriter();
        var output = Path.Combine(_output, workload);
        // The uniform run (its longest job 20 s, 2 s real here) also holds the load steady around the measured jobs,
        // as the full runs do; the others measure their arrivals alone, to stay within seconds.
        var steady = workload == "uniform" ? "1" : "0";
        // The mix also computes the bound within the budget (--budgeted-bound 1).
        string[] args = ["lag-vs-budget", "--smoke", "--workload", workload, "--load", load, "--budget", "120", "--time-scale", "10", "--steady", steady, "--out", output];
        var exitCode = await BenchmarkProgram.RunAsync(workload == "mix" ? [.. args, "--budgeted-bound", "1"] : args, console, timeout.Token);

        Assert.True(exitCode == 0, console.ToString());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "lag-vs-budget.json"), timeout.Token));
        var data = report.RootElement.GetProperty("data");
        var jobs = data.GetProperty("jobs").GetInt32();
        var bridge = data.GetProperty("bridge");
        var roundRobin = data.GetProperty("round-robin 1 s, budgeted");
        var bound = data.GetProperty("polling bound at the bridge's calls/job");
        Assert.True(jobs > 0);
        Assert.Equal(jobs, bridge.GetProperty("notified").GetInt32());
        Assert.Equal(double.Parse(load, CultureInfo.InvariantCulture), data.GetProperty("load").GetDouble(), 0.05);

        // The budget holds in every sliding scenario minute, counted from the simulator's arrival times of the calls.
        Assert.True(data.GetProperty("budget_held").GetBoolean());
        Assert.InRange(bridge.GetProperty("peak_calls_per_minute").GetInt32(), 1, 120);
        Assert.InRange(roundRobin.GetProperty("peak_calls_per_minute").GetInt32(), 1, 120);

        // The bound is computed at the bridge's calls per job, on the workload's distribution (a handful of jobs may
        // by luck beat it, so it is not compared with the bridge's sample here), and it never exceeds the longest job.
        Assert.Equal(bridge.GetProperty("calls_per_job").GetDouble(), bound.GetProperty("calls_per_job").GetDouble(), 6);
        var boundP95 = bound.GetProperty("lag_p95_ms").GetDouble();
        Assert.InRange(boundP95, 0, 12_000);
        Assert.InRange(bound.GetProperty("lag_p50_ms").GetDouble(), 0, boundP95);
        Assert.InRange(bound.GetProperty("lag_p99_ms").GetDouble(), boundP95, double.MaxValue);
        var parameters = report.RootElement.GetProperty("parameters");
        Assert.StartsWith(steady == "1" ? "the same workload arrives, not measured" : "no (--steady 0)", parameters.GetProperty("steady load").GetString(), StringComparison.Ordinal);

        // One line per measured job and strategy (bridge, official client, round-robin) in the per-job file, every
        // bridge job with its lag, its calls and the job's age at each of them (rising, the last at or after its end).
        var lines = await File.ReadAllLinesAsync(Path.Combine(output, "lag-vs-budget-jobs.csv"), timeout.Token);
        Assert.Equal("strategy,request_id,kind,arrived_s,duration_s,lag_s,answer_lag_s,calls,look_ages_s", lines[0]);
        Assert.Equal(3 * jobs, lines.Length - 1);
        var bridgeLines = lines.Skip(1).Where(l => l.StartsWith("bridge,", StringComparison.Ordinal)).Select(l => l.Split(',')).ToList();
        Assert.Equal(jobs, bridgeLines.Count);
        Assert.All(bridgeLines, l =>
        {
            var looks = l[8].Split(' ').Select(a => double.Parse(a, CultureInfo.InvariantCulture)).ToList();
            Assert.True(l[5].Length > 0 && int.Parse(l[7], CultureInfo.InvariantCulture) == looks.Count, string.Join(',', l));
            Assert.Equal(looks.Order(), looks);
            Assert.True(looks[^1] >= double.Parse(l[4], CultureInfo.InvariantCulture) - 0.05, string.Join(',', l));
        });
        if (workload == "mix")
        {
            Assert.Contains("videos", report.RootElement.GetProperty("parameters").GetProperty("workload").GetString(), StringComparison.Ordinal);
            // Never below the budget-free bound on its own atoms, and never beyond the longest job and the run.
            var withinBudget = data.GetProperty("polling bound within the budget");
            Assert.InRange(withinBudget.GetProperty("lag_p95_ms").GetDouble(), withinBudget.GetProperty("unbudgeted_same_atoms_lag_p95_ms").GetDouble(), 1_000_000);
        }
    }

    [Fact]
    public async Task Lag_vs_budget_computes_the_bounds_alone_for_given_calls_per_job()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var console = new StringWriter();
        var output = Path.Combine(_output, "bounds-only");

        var exitCode = await BenchmarkProgram.RunAsync(
            ["lag-vs-budget", "--smoke", "--workload", "uniform", "--load", "3", "--budget", "120", "--steady", "0", "--bound-calls-per-job", "4", "--out", output],
            console,
            timeout.Token);

        Assert.True(exitCode == 0, console.ToString());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "lag-vs-budget.json"), timeout.Token));
        var data = report.RootElement.GetProperty("data");
        Assert.Equal(4, data.GetProperty("calls_per_job").GetDouble());
        var free = data.GetProperty("polling bound at the bridge's calls/job").GetProperty("lag_p95_ms").GetDouble();
        var withinBudget = data.GetProperty("polling bound within the budget");
        // Four calls per job on the smoke's images of 3-6 s: polls about a second apart, so a lag under 3 s and above
        // none (four polls cannot cover 3 s of durations without lag); the budget can only raise it.
        Assert.InRange(free, 1, 3_000);
        Assert.InRange(withinBudget.GetProperty("lag_p95_ms").GetDouble(), withinBudget.GetProperty("unbudgeted_same_atoms_lag_p95_ms").GetDouble(), 60_000);
        Assert.False(File.Exists(Path.Combine(output, "lag-vs-budget-jobs.csv")), "no strategy should have run");
    }

    [Fact]
    public async Task Fast_path_notifies_every_job_with_pushes_delivered_or_lost_and_pushed_ones_spend_no_status_call()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var console = new StringWriter();
        var exitCode = await BenchmarkProgram.RunAsync(["fast-path", "--smoke", "--out", _output], console, timeout.Token);

        Assert.True(exitCode == 0, console.ToString());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_output, "fast-path.json"), timeout.Token));
        var data = report.RootElement.GetProperty("data");
        var jobs = data.GetProperty("jobs").GetInt32();
        var pushed = data.GetProperty("bridge, Bria pushes every outcome");
        var lossy = data.GetProperty("bridge, 25% of pushes lost");
        var polling = data.GetProperty("bridge, polling only");
        Assert.True(jobs > 0);
        Assert.All(new[] { pushed, lossy, polling }, run => Assert.Equal(jobs, run.GetProperty("notified").GetInt32()));
        Assert.Equal(0, pushed.GetProperty("total_calls").GetInt32());
        Assert.True(pushed.GetProperty("webhook_answer_p99_ms").GetDouble() > 0);
        Assert.True(polling.GetProperty("calls_per_job").GetDouble() >= 1);
        // Each lost push costs its request the safety poll, and nothing more; every job is still notified in bounds.
        Assert.Equal(lossy.GetProperty("pushes_lost").GetInt32(), lossy.GetProperty("total_calls").GetInt32());
        Assert.True(data.GetProperty("lost_found_within_safety_schedule").GetBoolean());
        Assert.True(new FileInfo(Path.Combine(_output, "fast-path.md")).Length > 0);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
