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

    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var streams = options.Integer("streams", 5000, 40);
        var outcomes = Math.Min(streams, options.Integer("outcomes", 500, 20));
        var idleSeconds = options.Number("idle-seconds", 20, 2);
        report.Parameters["open streams"] = streams.ToString(CultureInfo.InvariantCulture);
        report.Parameters["outcomes measured"] = outcomes.ToString(CultureInfo.InvariantCulture);
        report.Parameters["idle window"] = $"{idleSeconds} s";
        report.Parameters["heartbeat"] = "15 s (the default)";

        var database = await BenchServers.CreateDatabaseAsync("streams", cancellationToken);
        try
        {
            await using var simulator = await SimulatorHost.StartAsync(ct: cancellationToken);
            var settings = BridgeLauncher.Base(simulator.BaseUrl, simulator.ApiToken, "Postgres", database);
            settings["Admin:ApiKey"] = AdminKey;
            settings["StatusStreams:MaxStreamsPerPartner"] = (streams + 10).ToString(CultureInfo.InvariantCulture);
            // Polling is not measured here: a slow budget keeps it out of the way.
            settings["Polling:RequestsPerMinute"] = "60";

            progress.Phase("starting two replicas");
            await using var writer = await ChildBridge.StartAsync(settings, cancellationToken);
            await using var streamer = await ChildBridge.StartAsync(settings, cancellationToken);
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            var key = await CreatePartnerAsync(http, writer.BaseUrl, cancellationToken);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            progress.Phase($"tracking {streams:N0} requests");
            var ids = Enumerable.Range(0, streams).Select(i => $"stream-{i:D6}").ToList();
            foreach (var id in ids)
            {
                simulator.State.CreateJob(new JobSpec { RequestId = id, DurationMs = 86_400_000, Outcome = JobOutcome.Completed });
            }

            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (id, ct) =>
            {
                using var response = await http.PostAsJsonAsync(new Uri(writer.BaseUrl, "/v1/tracked-requests"), new { request_id = id }, ct);
                response.EnsureSuccessStatusCode();
            });

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
            var clock = Stopwatch.StartNew();
            var open = new ClientStream[streams];
            await Parallel.ForEachAsync(Enumerable.Range(0, streams), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                open[i] = await ClientStream.OpenAsync(http, streamer.BaseUrl, ids[i], ct);
                await open[i].NextEventAsync(ct);
            });
            var openSeconds = clock.Elapsed.TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var after = streamer.MemoryBytes;
            var perStream = (after - before) / (double)streams;

            progress.Phase($"{streams:N0} streams idle for {idleSeconds} s");
            var idleCpu = await IdleCpuAsync(streamer, idleSeconds, cancellationToken);

            progress.Phase($"{outcomes} outcomes stored by the other replica");
            var lags = new Latencies();
            var waiting = Enumerable.Range(0, outcomes).Select(i => open[i].FinalEventAsync(cancellationToken)).ToList();
            var changedAt = new DateTimeOffset[outcomes];
            for (var i = 0; i < outcomes; i++)
            {
                // The cancel is stored (and NOTIFY sent) inside this call: timing from its start overstates the lag by
                // the API's own handling, never understates it.
                changedAt[i] = DateTimeOffset.UtcNow;
                using var cancel = await http.PostAsync(new Uri(writer.BaseUrl, $"/v1/tracked-requests/{ids[i]}/cancel"), null, cancellationToken);
                cancel.EnsureSuccessStatusCode();
            }

            var arrivedAt = await Task.WhenAll(waiting);
            for (var i = 0; i < outcomes; i++)
            {
                lags.Record((arrivedAt[i] - changedAt[i]).TotalMilliseconds);
            }

            foreach (var stream in open)
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
            report.Data["streams"] = new JsonObject
            {
                ["open_streams"] = streams,
                ["bytes_per_stream"] = perStream,
                ["idle_cpu_ms_per_second"] = idleCpu,
                ["baseline_idle_cpu_ms_per_second"] = baselineCpu,
                ["lag_p50_ms"] = lags.Percentile(50),
                ["lag_p95_ms"] = lags.Percentile(95),
                ["lag_max_ms"] = lags.Max,
            };
            report.Notes.Add("Two bridge processes share one PostgreSQL database. Every stream is open on the streaming replica; the other replica stores each change (a cancel through its API: the partner's only subscription ends, so the stream's final event is `cancelled`) and the streaming replica hears it through PostgreSQL NOTIFY, re-reads that request once and writes the event.");
            report.Notes.Add("Memory per stream is the growth of the streaming process's resident set (VmRSS) over the open streams, measured 2 s after the last one opened (no forced GC): Kestrel's connection, the request and the stream's awaiting state. Idle CPU is the process's CPU time over the idle window divided by its length, once before any stream opened and once with all open (the shared 15 s heartbeat and the one LISTEN connection): the difference is what idle streams cost.");
            report.Notes.Add("Lag is from the start of the cancel call on the other replica (which stores the change and sends NOTIFY in one transaction) to the moment the client read the final event, on the same machine's clock; changes are stored one after another as fast as the cancel API answers.");
        }
        finally
        {
            await BenchServers.DropDatabaseAsync(database);
        }
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
