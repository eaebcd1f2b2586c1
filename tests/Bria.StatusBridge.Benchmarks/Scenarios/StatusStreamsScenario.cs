using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>Open status streams on one replica (memory per stream, CPU while they idle) and the lag from an outcome
/// stored by another replica to its event at the client: two bridge processes on one PostgreSQL database.</summary>
internal sealed class StatusStreamsScenario : IScenario
{
    private const string AdminKey = "bench-operator-key-0123456789abcdef";

    /// <summary>A job that outlasts any run, on either simulator.</summary>
    private static readonly TimeSpan UnendingDuration = TimeSpan.FromDays(30);

    /// <summary>Longer than any run on the real clock: a measured job finishes only when the scenario jumps the clock by it.</summary>
    private static readonly TimeSpan FinishingDuration = TimeSpan.FromDays(1);

    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var streams = options.Integer("streams", 5000, 40);
        var outcomes = Math.Min(streams, options.Integer("outcomes", 500, 20));
        var idleSeconds = options.Number("idle-seconds", 20, 2);
        var pollSeconds = options.Number("poll-interval", 10, 1);
        report.Parameters["open streams"] = streams.ToString(CultureInfo.InvariantCulture);
        report.Parameters["outcomes measured"] = outcomes.ToString(CultureInfo.InvariantCulture);
        report.Parameters["idle window"] = $"{idleSeconds} s";
        report.Parameters["heartbeat"] = "15 s (the default)";
        report.Parameters["poll interval of the measured requests"] = $"{pollSeconds} s";

        var database = await BenchServers.CreateDatabaseAsync("streams", cancellationToken);
        try
        {
            // Two Brias: the writing replica's finishes the measured jobs when the scenario jumps its clock; the streaming
            // replica's never does. Both replicas poll, but only the writer can store an outcome, so every outcome
            // reaches the streams across replicas.
            var clock = new JumpingClock();
            await using var bria = await SimulatorHost.StartAsync(o => o.TimeProvider = clock, cancellationToken);
            await using var unfinished = await SimulatorHost.StartAsync(ct: cancellationToken);
            var settings = BridgeLauncher.Base(bria.BaseUrl, bria.ApiToken, "Postgres", database);
            settings["Admin:ApiKey"] = AdminKey;
            settings["StatusStreams:MaxStreamsPerPartner"] = (streams + outcomes + 10).ToString(CultureInfo.InvariantCulture);
            settings["Polling:RequestsPerMinute"] = "60000";
            // The idle streams wait on videos whose first poll is an hour away: no polling while memory and CPU are measured.
            settings["Polling:Video:FirstDelay"] = "01:00:00";
            // The measured requests are images polled every few seconds by each replica: a steady background of polls
            // while outcomes arrive, without a burst of polls taking the machine.
            var interval = BridgeLauncher.Span(TimeSpan.FromSeconds(pollSeconds));
            settings["Polling:Image:FirstDelay"] = "00:00:01";
            settings["Polling:Image:Interval"] = interval;
            settings["Polling:Image:Ceiling"] = interval;
            var streamerSettings = new Dictionary<string, string?>(settings)
            {
                ["Bria:BaseUrl"] = unfinished.BaseUrl.ToString(),
                ["Bria:ApiToken"] = unfinished.ApiToken,
            };

            progress.Phase("starting two replicas");
            await using var writer = await ChildBridge.StartAsync(settings, cancellationToken);
            await using var streamer = await ChildBridge.StartAsync(streamerSettings, cancellationToken);
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            var key = await CreatePartnerAsync(http, writer.BaseUrl, cancellationToken);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            progress.Phase($"tracking {streams:N0} requests");
            var ids = Enumerable.Range(0, streams).Select(i => $"stream-{i:D6}").ToList();
            CreateJobs(ids, bria, Unending);
            CreateJobs(ids, unfinished, Unending);
            await TrackAsync(http, writer.BaseUrl, ids, "video", cancellationToken);

            // Warm the streaming replica's code paths with one stream, then measure from a settled baseline.
            await using (var warm = await ClientStream.OpenAsync(http, streamer.BaseUrl, ids[0], cancellationToken))
            {
                await warm.NextEventAsync(cancellationToken);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var before = streamer.MemoryBytes;
            progress.Phase($"no streams: idle for {idleSeconds} s");
            var baselineCpu = await IdleCpuAsync(streamer, idleSeconds, cancellationToken);

            progress.Phase($"opening {streams:N0} streams on one replica");
            var opening = Stopwatch.StartNew();
            var open = await OpenAsync(http, streamer.BaseUrl, ids, cancellationToken);
            var openSeconds = opening.Elapsed.TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var after = streamer.MemoryBytes;
            var perStream = (after - before) / (double)streams;

            progress.Phase($"{streams:N0} streams idle for {idleSeconds} s");
            var idleCpu = await IdleCpuAsync(streamer, idleSeconds, cancellationToken);

            progress.Phase($"{outcomes} outcomes stored by the other replica");
            var measured = Enumerable.Range(0, outcomes).Select(i => $"outcome-{i:D6}").ToList();
            CreateJobs(measured, bria, Finishing);
            CreateJobs(measured, unfinished, Unending);
            await TrackAsync(http, writer.BaseUrl, measured, "image", cancellationToken);
            var waiting = await OpenAsync(http, streamer.BaseUrl, measured, cancellationToken);
            await using var commits = await CommitWatch.StartAsync(database, cancellationToken);
            var finals = waiting.Select(stream => stream.FinalEventAsync(cancellationToken)).ToList();
            // Bria finishes every measured job now; the writer notices each at its next poll and stores its outcome.
            clock.Jump(FinishingDuration);
            var received = await Task.WhenAll(finals);

            var lags = new Latencies();
            var writing = new Latencies();
            foreach (var (type, data, arrivedAt) in received)
            {
                if (type != "outcome" || (string?)data["state"] != "completed")
                {
                    throw new InvalidOperationException($"A measured stream ended with {type} ({data.ToJsonString()}), not the completed outcome.");
                }

                // The outcome is the request's last change: the last notification heard for it is its commit.
                var requestId = (string)data["request_id"]!;
                var committedAt = commits.LatestChange(requestId)
                    ?? throw new InvalidOperationException($"No change notification was heard for {requestId}.");
                lags.Record((arrivedAt - committedAt).TotalMilliseconds);
                writing.Record((committedAt - DateTimeOffset.Parse((string)data["noticed_at"]!, CultureInfo.InvariantCulture)).TotalMilliseconds);
            }

            foreach (var stream in open.Concat(waiting))
            {
                await stream.DisposeAsync();
            }

            var table = report.AddTable("Open status streams on one replica (PostgreSQL, two replicas)", "figure", "value");
            table.Add("open streams", streams.ToString("N0", CultureInfo.InvariantCulture));
            table.Add("opened in", $"{openSeconds:0.0} s (each with its first event)");
            table.Add("resident memory before / after", $"{before / 1048576.0:0} MiB / {after / 1048576.0:0} MiB");
            table.Add("memory per open stream", $"{perStream / 1024:0.0} KiB");
            table.Add("CPU while idle, no streams", $"{baselineCpu:0.0} ms per second");
            table.Add("CPU while idle, all streams open", $"{idleCpu:0.0} ms per second");
            var lagTable = report.AddTable("Lag from the outcome stored (other replica) to the event at the client", "outcomes", "p50 ms", "p95 ms", "max ms");
            lagTable.Add(
                outcomes.ToString(CultureInfo.InvariantCulture),
                Latencies.Ms(lags.Percentile(50)),
                Latencies.Ms(lags.Percentile(95)),
                Latencies.Ms(lags.Max));
            var writeTable = report.AddTable("The writing replica's transaction: noticed_at to its commit (not part of the lag)", "outcomes", "p50 ms", "p95 ms", "max ms");
            writeTable.Add(
                outcomes.ToString(CultureInfo.InvariantCulture),
                Latencies.Ms(writing.Percentile(50)),
                Latencies.Ms(writing.Percentile(95)),
                Latencies.Ms(writing.Max));
            report.Data["streams"] = new JsonObject
            {
                ["open_streams"] = streams,
                ["bytes_per_stream"] = perStream,
                ["idle_cpu_ms_per_second"] = idleCpu,
                ["baseline_idle_cpu_ms_per_second"] = baselineCpu,
                ["outcomes"] = outcomes,
                ["lag_p50_ms"] = lags.Percentile(50),
                ["lag_p95_ms"] = lags.Percentile(95),
                ["lag_max_ms"] = lags.Max,
                ["write_p50_ms"] = writing.Percentile(50),
                ["write_p95_ms"] = writing.Percentile(95),
            };
            report.Notes.Add("Two bridge processes share one PostgreSQL database, each with its own Bria (a simulator): the writing replica's finishes the measured jobs when the scenario says so, the streaming replica's never does. Every stream is open on the streaming replica; both replicas poll the measured requests, so only the writer can store their outcomes, and the streaming replica hears each through PostgreSQL NOTIFY, re-reads that request once and writes the `outcome` event.");
            report.Notes.Add("Memory per stream is the growth of the streaming process's resident set (VmRSS) over the open streams, measured 2 s after the last one opened (no forced GC): Kestrel's connection, the request and the stream's awaiting state. Idle CPU is the process's CPU time over the idle window divided by its length, once before any stream opened and once with all open (the shared 15 s heartbeat and the one LISTEN connection; the idle streams' requests are not due for polling): the difference is what idle streams cost.");
            report.Notes.Add("Lag is from each outcome's commit on the writing replica to the moment the client read its `outcome` event (every measured stream must end with the completed outcome, or the run fails), on the same machine's clock. The commit is timed by a LISTEN connection of the benchmark's own on the channel the replicas use: PostgreSQL delivers a NOTIFY when its transaction commits, so that connection hears it when the streaming replica's listener does; the last notification of a request is its outcome's. The writer notices the finished jobs at its next polls, spread over one poll interval, and stores each batch of poll results in one transaction; the time from `noticed_at` (taken as that transaction starts) to its commit is shown apart: it is the writer's batch, not the stream.");
        }
        finally
        {
            await BenchServers.DropDatabaseAsync(database);
        }
    }

    private static JobSpec Unending(string id) => Job(id, UnendingDuration);

    private static JobSpec Finishing(string id) => Job(id, FinishingDuration);

    private static JobSpec Job(string id, TimeSpan duration) =>
        new() { RequestId = id, DurationMs = (long)duration.TotalMilliseconds, Outcome = JobOutcome.Completed };

    private static void CreateJobs(List<string> ids, SimulatorHost bria, Func<string, JobSpec> job)
    {
        foreach (var id in ids)
        {
            bria.State.CreateJob(job(id));
        }
    }

    private static async Task TrackAsync(HttpClient http, Uri bridge, List<string> ids, string kind, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            using var response = await http.PostAsJsonAsync(new Uri(bridge, "/v1/tracked-requests"), new { request_id = id, endpoint_kind = kind }, ct);
            response.EnsureSuccessStatusCode();
        });

    /// <summary>Opens one stream per request and reads each up to its first event.</summary>
    private static async Task<ClientStream[]> OpenAsync(HttpClient http, Uri bridge, List<string> ids, CancellationToken cancellationToken)
    {
        var open = new ClientStream[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            open[i] = await ClientStream.OpenAsync(http, bridge, ids[i], ct);
            await open[i].NextEventAsync(ct);
        });
        return open;
    }

    private static async Task<double> IdleCpuAsync(ChildBridge bridge, double seconds, CancellationToken cancellationToken)
    {
        var before = bridge.CpuTime;
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return (bridge.CpuTime - before).TotalMilliseconds / seconds;
    }

    private static async Task<string> CreatePartnerAsync(HttpClient http, Uri bridge, CancellationToken cancellationToken)
    {
        using var admin = new HttpRequestMessage(HttpMethod.Post, new Uri(bridge, "/v1/admin/partners")) { Content = JsonContent.Create(new { name = "bench" }) };
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var created = await http.SendAsync(admin, cancellationToken);
        var partnerId = (string)(await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["partner_id"]!;
        using var issue = new HttpRequestMessage(HttpMethod.Post, new Uri(bridge, $"/v1/admin/partners/{partnerId}/keys")) { Content = JsonContent.Create(new { name = "bench" }) };
        issue.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var key = await http.SendAsync(issue, cancellationToken);
        return (string)(await key.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["key"]!;
    }
}
