using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;
using Dapper;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>Signed webhook deliveries per second to a loopback receiver, beside raw <see cref="HttpClient"/> POSTs of
/// the same signed bodies at the same concurrency; and the delivery lag of a healthy endpoint alone and beside an
/// endpoint that never answers. Deliveries are written straight into the delivery table (the rows
/// <c>OutcomeNotificationWriter</c> queues when a request ends) so that the dispatcher is measured alone.</summary>
internal sealed class WebhookThroughputScenario : IScenario
{
    private const string Partner = "bench-partner";
    private const int PerDestination = 4;

    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var deliveries = options.Integer("deliveries", 2000, 100);
        var concurrency = options.Integer("concurrency", 32, 8);
        var lagRate = options.Number("lag-rate", 10, 10);
        var lagSeconds = options.Number("lag-seconds", 30, 3);
        var timeout = TimeSpan.FromSeconds(options.Number("timeout", 15, 1));
        var stores = options.Text("store", "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? "Postgres" : "Sqlite").ToList();
        var endpoints = Math.Max(1, concurrency / PerDestination);
        report.Parameters["deliveries"] = deliveries.ToString(CultureInfo.InvariantCulture);
        report.Parameters["concurrency"] = $"{concurrency} ({endpoints} endpoints x {PerDestination} in flight each)";
        report.Parameters["lag"] = $"{lagRate} requests/s for {lagSeconds} s, webhook timeout {timeout.TotalSeconds} s";
        report.Parameters["stores"] = string.Join(", ", stores);

        await using var receiver = await WebhookReceiver.StartAsync(cancellationToken);
        await using var simulator = await SimulatorHost.StartAsync(ct: cancellationToken);
        var secrets = Enumerable.Range(0, endpoints + 1).Select(_ => WebhookSecret.Generate()).ToArray();
        for (var e = 0; e <= endpoints; e++)
        {
            receiver.AddEndpoint(EndpointId(e), secrets[e]);
        }

        var messages = Enumerable.Range(0, deliveries).Select(i => Message($"wh-{i:D6}", EndpointId(i % endpoints))).ToList();

        var throughput = new List<(string Name, double PerSecond, double Cpu)>
        {
            await RunRawAsync(receiver, messages, secrets, concurrency, progress, cancellationToken),
        };
        foreach (var store in stores)
        {
            throughput.Add(await RunBridgeThroughputAsync(simulator, receiver, store, messages, secrets, endpoints, concurrency, timeout, progress, cancellationToken));
        }

        var raw = throughput[0];
        var table = report.AddTable("Signed deliveries per second to a loopback receiver", "sender", "deliveries/s", "ratio to raw", "CPU s per 1,000");
        foreach (var (name, perSecond, cpu) in throughput)
        {
            table.Add(
                name,
                perSecond.ToString("0", CultureInfo.InvariantCulture),
                (perSecond / raw.PerSecond).ToString("0.00", CultureInfo.InvariantCulture),
                cpu.ToString("0.000", CultureInfo.InvariantCulture));
            report.Data[name] = new System.Text.Json.Nodes.JsonObject { ["deliveries_per_second"] = perSecond, ["cpu_seconds_per_1000"] = cpu };
        }

        var lags = new List<(string Name, Latencies Lag, int Expected, long Hangs)>();
        foreach (var hanging in new[] { false, true })
        {
            lags.Add(await RunLagAsync(simulator, receiver, stores[0], secrets, hanging, lagRate, lagSeconds, concurrency, timeout, progress, cancellationToken));
        }

        var lagTable = report.AddTable(
            $"Delivery lag of a healthy endpoint (row created to received, ms), {stores[0]}",
            "phase", "delivered", "p50", "p95", "p99", "max", "attempts held by the hanging endpoint");
        foreach (var (name, lag, expected, hangs) in lags)
        {
            lagTable.Add(name, $"{lag.Count}/{expected}", Latencies.Ms(lag.Percentile(50)), Latencies.Ms(lag.Percentile(95)),
                Latencies.Ms(lag.Percentile(99)), Latencies.Ms(lag.Max), hangs.ToString(CultureInfo.InvariantCulture));
            report.Data[name] = new System.Text.Json.Nodes.JsonObject
            {
                ["delivered"] = lag.Count,
                ["expected"] = expected,
                ["p50_ms"] = lag.Percentile(50),
                ["p95_ms"] = lag.Percentile(95),
                ["p99_ms"] = lag.Percentile(99),
                ["max_ms"] = lag.Max,
                ["hanging_attempts"] = hangs,
            };
        }

        report.Plots.Add(("deliveries-per-second", "Signed deliveries per second", SvgChart.Bars(
            "Signed deliveries per second", "sender", "deliveries/s", [.. throughput.Select(t => t.Name)], [("deliveries/s", [.. throughput.Select(t => t.PerSecond)])])));
        report.Plots.Add(("lag-cdf", "Healthy endpoint delivery lag CDF", SvgChart.Cdf(
            "Healthy endpoint: row created to received", "ms", [.. lags.Select(l => (l.Name, l.Lag.Values))])));
        report.Notes.Add("Deliveries are written straight into webhook_deliveries (the same rows OutcomeNotificationWriter queues when a request ends, to partner endpoints with their own secrets) and the dispatcher is woken as the outcome stored signal wakes it: this isolates the dispatcher (claim, sign, POST, record) from polling, which lag-vs-budget measures.");
        report.Notes.Add($"Throughput: {deliveries} deliveries due at once over {endpoints} endpoints of one partner; the bridge keeps at most {PerDestination} in flight per endpoint (its default), so {endpoints} endpoints give the raw loop's {concurrency} in flight. The rate is deliveries over the time from waking the dispatcher to the last arrival. The raw sender POSTs the same bodies with the same signature headers (signed in the loop) through one HttpClient with {concurrency} workers.");
        report.Notes.Add("The receiver (Kestrel on 127.0.0.1, in this process) checks every signature and answers 204; CPU includes it, so compare rows with each other.");
        report.Notes.Add($"Lag: {lagRate} requests/s end for {lagSeconds} s, each with a delivery to a healthy endpoint and, in the second phase, one to an endpoint that never answers (held until the bridge's {timeout.TotalSeconds} s timeout; it then waits for its retry schedule). Lag is the row's created_at to its first arrival at the receiver.");
        var bad = receiver.BadSignatures;
        report.Notes.Add(bad == 0 ? "Every signature checked out." : $"{bad} deliveries had a signature that did not verify.");
    }

    private static string EndpointId(int index) => $"ep_bench_{index:D2}";

    private static (string RequestId, string EndpointId, string Payload) Message(string requestId, string endpointId)
    {
        var now = TimeProvider.System.GetUtcNow();
        var subscriber = new SubscriberView("sub", "corr-" + requestId, Partner, null, new Dictionary<string, string> { ["order"] = requestId }, now);
        var outcome = TerminalOutcome.Completed(new BriaResult { ImageUrl = new Uri($"https://example.com/results/{requestId}.png"), Seed = 42, Prompt = "a lighthouse at dusk" }, now);
        return (requestId, endpointId, WebhookPayload.Create(requestId, subscriber, outcome, now, now));
    }

    private static async Task<(string, double, double)> RunRawAsync(
        WebhookReceiver receiver, List<(string RequestId, string EndpointId, string Payload)> messages, string[] secrets, int concurrency, Progress progress, CancellationToken cancellationToken)
    {
        progress.Phase($"raw HttpClient: {messages.Count} signed POSTs, {concurrency} workers");
        receiver.Reset();
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false, UseProxy = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var next = -1;
        var (elapsed, cpu) = await MeasureAsync(async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(
                async () =>
                {
                    for (var i = Interlocked.Increment(ref next); i < messages.Count; i = Interlocked.Increment(ref next))
                    {
                        var (requestId, endpointId, payload) = messages[i];
                        var id = WebhookDeliveryId.ForEndpoint(requestId, "sub", endpointId);
                        var body = Encoding.UTF8.GetBytes(payload);
                        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
                        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.HookUrl(endpointId)) { Content = new ByteArrayContent(body) };
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                        request.Headers.TryAddWithoutValidation("webhook-id", id);
                        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSigner.Sign(id, timestamp, body, [secrets[int.Parse(endpointId[^2..], CultureInfo.InvariantCulture)]]));
                        using var response = await client.SendAsync(request, cancellationToken);
                        await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    }
                },
                cancellationToken)));
            return receiver.Count;
        });
        var perSecond = receiver.Count / elapsed.TotalSeconds;
        progress.Phase($"raw HttpClient: {perSecond:0} deliveries/s");
        return ("raw HttpClient", perSecond, cpu.TotalSeconds / Math.Max(1, receiver.Count) * 1000);
    }

    private static async Task<(string, double, double)> RunBridgeThroughputAsync(
        SimulatorHost simulator, WebhookReceiver receiver, string store, List<(string RequestId, string EndpointId, string Payload)> messages,
        string[] secrets, int endpoints, int concurrency, TimeSpan timeout, Progress progress, CancellationToken cancellationToken)
    {
        var name = $"bridge, {store}";
        progress.Phase($"{name}: {messages.Count} deliveries due at once");
        receiver.Reset();
        await using var bridge = await Bridge.StartAsync(simulator, store, concurrency, timeout, cancellationToken);
        var at = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await bridge.InsertEndpointsAsync(receiver, secrets, endpoints, hanging: false, at, cancellationToken);
        await bridge.InsertDeliveriesAsync(messages, at, cancellationToken);
        // Committed now: no delivery can arrive earlier.
        var started = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var (_, cpu) = await MeasureAsync(async () =>
        {
            bridge.Wake();
            await WaitForAsync(receiver, messages.Count, TimeSpan.FromSeconds(Math.Max(60, messages.Count / 20.0)), name, progress, cancellationToken);
            return receiver.Count;
        });
        // The last arrival, not the moment the wait loop noticed it.
        var last = receiver.Received.Values.DefaultIfEmpty(started).Max();
        var perSecond = receiver.Received.Count / TimeSpan.FromMilliseconds(Math.Max(1, last - started)).TotalSeconds;
        progress.Phase($"{name}: {perSecond:0} deliveries/s ({receiver.Received.Count}/{messages.Count} arrived, {receiver.Duplicates} duplicates)");
        return (name, perSecond, cpu.TotalSeconds / Math.Max(1, receiver.Count) * 1000);
    }

    private static async Task<(string, Latencies, int, long)> RunLagAsync(
        SimulatorHost simulator, WebhookReceiver receiver, string store, string[] secrets, bool hanging, double rate, double seconds,
        int concurrency, TimeSpan timeout, Progress progress, CancellationToken cancellationToken)
    {
        var name = hanging ? "beside a hanging endpoint" : "healthy endpoint alone";
        progress.Phase($"lag, {name}: {rate}/s for {seconds} s");
        receiver.Reset();
        await using var bridge = await Bridge.StartAsync(simulator, store, concurrency, timeout, cancellationToken);
        var at = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        // Endpoint 0 is healthy; the last one hangs (both belong to the same partner, as two endpoints of one partner do).
        await bridge.InsertEndpointsAsync(receiver, secrets, 1, hanging, at, cancellationToken);
        var created = new Dictionary<string, long>(StringComparer.Ordinal);
        var total = (int)Math.Round(rate * seconds);
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate)))
        {
            for (var i = 0; i < total && await timer.WaitForNextTickAsync(cancellationToken); i++)
            {
                var requestId = $"lag-{i:D6}";
                var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
                List<(string, string, string)> rows = [Message(requestId, EndpointId(0))];
                if (hanging)
                {
                    rows.Add(Message(requestId, EndpointId(secrets.Length - 1)));
                }

                await bridge.InsertDeliveriesAsync(rows, now, cancellationToken);
                created[WebhookDeliveryId.ForEndpoint(requestId, "sub", EndpointId(0))] = now;
                bridge.Wake();
                progress.Tick(() => $"lag, {name}: {i + 1}/{total} created, {receiver.Received.Count} received, {receiver.Hangs} hanging attempts");
            }
        }

        await WaitForAsync(receiver, total, TimeSpan.FromSeconds(20), name, progress, cancellationToken);
        var lag = new Latencies();
        foreach (var (id, createdAt) in created)
        {
            if (receiver.Received.TryGetValue(id, out var receivedAt))
            {
                lag.Record(receivedAt - createdAt);
            }
        }

        progress.Phase($"lag, {name}: p50 {Latencies.Ms(lag.Percentile(50))} ms, p95 {Latencies.Ms(lag.Percentile(95))} ms, {receiver.Hangs} hanging attempts");
        return (name, lag, total, receiver.Hangs);
    }

    private static async Task WaitForAsync(WebhookReceiver receiver, int count, TimeSpan limit, string name, Progress progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (receiver.Received.Count < count && Stopwatch.GetElapsedTime(started) < limit)
        {
            await Task.Delay(20, cancellationToken);
            progress.Tick(() => $"{name}: {receiver.Received.Count}/{count} received");
        }
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> MeasureAsync(Func<Task<long>> run)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await run();
        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        return (elapsed, process.TotalProcessorTime - cpu0);
    }

    /// <summary>A bridge with webhooks allowed to loopback over plain HTTP, and direct access to its store.</summary>
    private sealed class Bridge : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _store;
        private readonly string _connectionString;

        private Bridge(WebApplication app, string store, string connectionString)
        {
            _app = app;
            _store = store;
            _connectionString = connectionString;
        }

        public static async Task<Bridge> StartAsync(SimulatorHost simulator, string store, int concurrency, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var connectionString = store == "Postgres"
                ? await BenchServers.CreateDatabaseAsync("statusbridge_bench_wh", cancellationToken)
                : BridgeLauncher.SqliteConnectionString("wh");
            var settings = BridgeLauncher.Base(simulator.BaseUrl, simulator.ApiToken, store, connectionString);
            settings["Webhooks:AllowedSubnets:0"] = "127.0.0.1/32";
            settings["Webhooks:RequireHttps"] = "false";
            settings["Webhooks:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
            settings["Webhooks:MaxConcurrencyPerDestination"] = PerDestination.ToString(CultureInfo.InvariantCulture);
            settings["Webhooks:Timeout"] = BridgeLauncher.Span(timeout);
            settings["Webhooks:ConnectTimeout"] = BridgeLauncher.Span(timeout);
            return new Bridge(await BridgeLauncher.StartAsync(settings, null, cancellationToken), store, connectionString);
        }

        public void Wake() => _app.Services.GetRequiredService<WebhookWakeSignal>().Wake();

        public async Task InsertEndpointsAsync(WebhookReceiver receiver, string[] secrets, int healthy, bool hanging, long at, CancellationToken cancellationToken)
        {
            await using var connection = await _app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO partners (partner_id, name, created_at) VALUES (@Partner, 'Benchmark partner', @At)",
                new { Partner, At = at },
                cancellationToken: cancellationToken));
            var rows = Enumerable.Range(0, healthy).Select(e => (Id: EndpointId(e), Url: receiver.HookUrl(EndpointId(e)), Secret: secrets[e])).ToList();
            if (hanging)
            {
                var last = secrets.Length - 1;
                rows.Add((EndpointId(last), receiver.HangUrl(EndpointId(last)), secrets[last]));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO webhook_endpoints (endpoint_id, partner_id, url, event_types, secret, created_at, updated_at)
                VALUES (@Id, @Partner, @Url, 'request.completed request.failed', @Secret, @At, @At)
                """,
                rows.Select(r => new { r.Id, Partner, Url = r.Url.ToString(), r.Secret, At = at }),
                cancellationToken: cancellationToken));
        }

        public async Task InsertDeliveriesAsync(IReadOnlyList<(string RequestId, string EndpointId, string Payload)> messages, long at, CancellationToken cancellationToken)
        {
            await using var connection = await _app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The columns OutcomeNotificationWriter fills when a request ends; the URL is the endpoint's.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO webhook_deliveries (delivery_id, endpoint_id, partner_id, url, destination, request_id, subscriber_id,
                    event_type, payload, state, attempts, next_attempt_at, created_at)
                SELECT @DeliveryId, @EndpointId, @Partner, url, @Destination, @RequestId, 'sub',
                    'request.completed', @Payload, 'Pending', 0, @At, @At
                FROM webhook_endpoints WHERE endpoint_id = @EndpointId
                """,
                messages.Select(m => new
                {
                    DeliveryId = WebhookDeliveryId.ForEndpoint(m.RequestId, "sub", m.EndpointId),
                    m.EndpointId,
                    Partner,
                    Destination = WebhookDeliveryId.EndpointDestination(m.EndpointId),
                    m.RequestId,
                    m.Payload,
                    At = at,
                }),
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            if (_store == "Postgres")
            {
                await BenchServers.DropDatabaseAsync(_connectionString);
            }
            else
            {
                BridgeLauncher.DeleteSqlite(_connectionString);
            }
        }
    }
}
