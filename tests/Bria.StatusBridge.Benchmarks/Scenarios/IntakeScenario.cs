using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Tracking;
using MassTransit;
using RabbitMQ.Client;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary><c>TrackRequest</c> commands consumed and stored per second from RabbitMQ, beside a MassTransit consumer
/// that does nothing, on the same broker, in a private virtual host.</summary>
internal sealed class IntakeScenario : IScenario
{
    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var messages = options.Integer("messages", 20000, 200);
        report.Parameters["messages"] = messages.ToString(CultureInfo.InvariantCulture);
        report.Parameters["consumer concurrency"] = "32 (the bridge's track-request endpoint)";
        var vhost = $"statusbridge-bench-{Guid.NewGuid():N}";
        var uri = await BenchServers.CreateVirtualHostAsync(vhost, cancellationToken);
        try
        {
            await using var simulator = await SimulatorHost.StartAsync(ct: cancellationToken);
            var runs = new List<(string Name, double PerSecond, TimeSpan Publish, TimeSpan Total)>
            {
                await RunNoopAsync(uri, messages, progress, cancellationToken),
            };
            foreach (var store in new[] { "Sqlite", "Postgres" })
            {
                runs.Add(await RunBridgeAsync(uri, simulator, store, messages, progress, cancellationToken));
            }

            var table = report.AddTable("TrackRequest intake from RabbitMQ", "consumer", "messages/s", "ratio to no-op", "publish time", "drain time");
            foreach (var run in runs)
            {
                table.Add(
                    run.Name,
                    run.PerSecond.ToString("0", CultureInfo.InvariantCulture),
                    (run.PerSecond / runs[0].PerSecond).ToString("0.00", CultureInfo.InvariantCulture),
                    $"{run.Publish.TotalSeconds:0.0} s",
                    $"{run.Total.TotalSeconds:0.0} s");
                report.Data[run.Name] = new System.Text.Json.Nodes.JsonObject { ["messages_per_second"] = run.PerSecond, ["seconds"] = run.Total.TotalSeconds };
            }

            report.Plots.Add(("messages-per-second", "Intake rate", SvgChart.Bars(
                "TrackRequest consumed per second", "consumer", "messages/s", [.. runs.Select(r => r.Name)], [("messages/s", [.. runs.Select(r => r.PerSecond)])])));
            report.Notes.Add("Messages are plain JSON TrackRequests (as a non-.NET producer sends them), persistent, published with RabbitMQ.Client to the consumer's queue as fast as the broker takes them; the rate is messages over the time from the first publish to the last consume (a consume observer counts them after the consumer returned, i.e. after the store committed for the bridge).");
            report.Notes.Add("The no-op consumer uses the same endpoint settings as the bridge's (32 concurrent messages, raw JSON); its rate is the broker-and-MassTransit ceiling on this machine.");
        }
        finally
        {
            await BenchServers.DeleteVirtualHostAsync(vhost);
        }
    }

    private static async Task<(string, double, TimeSpan, TimeSpan)> RunNoopAsync(Uri uri, int messages, Progress progress, CancellationToken cancellationToken)
    {
        const string Queue = "noop-track-request";
        var counter = new ConsumeCounter();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(uri);
            cfg.ConfigureJsonSerializerOptions(o =>
            {
                if (!o.Converters.OfType<TrackRequestJsonConverter>().Any())
                {
                    o.Converters.Add(new TrackRequestJsonConverter());
                }

                return o;
            });
            cfg.ReceiveEndpoint(Queue, e =>
            {
                e.ConcurrentMessageLimit = 32;
                e.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                e.Handler<TrackRequest>(_ => Task.CompletedTask);
            });
        });
        bus.ConnectConsumeObserver(counter);
        await bus.StartAsync(cancellationToken);
        try
        {
            return await PublishAndDrainAsync("no-op MassTransit consumer", uri, Queue, messages, counter, progress, cancellationToken);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<(string, double, TimeSpan, TimeSpan)> RunBridgeAsync(Uri uri, SimulatorHost simulator, string store, int messages, Progress progress, CancellationToken cancellationToken)
    {
        var connectionString = store == "Postgres"
            ? await BenchServers.CreateDatabaseAsync("statusbridge_bench_intake", cancellationToken)
            : BridgeLauncher.SqliteConnectionString("intake");
        var settings = BridgeLauncher.Base(simulator.BaseUrl, simulator.ApiToken, store, connectionString);
        settings["Bus:Transport"] = "RabbitMq";
        settings["ConnectionStrings:RabbitMq"] = uri.ToString();
        // Nothing is polled during the run: intake alone is measured.
        settings["Polling:Image:FirstDelay"] = "01:00:00";
        var app = await BridgeLauncher.StartAsync(settings, counters: null, cancellationToken);
        try
        {
            var counter = new ConsumeCounter();
            app.Services.GetRequiredService<IBus>().ConnectConsumeObserver(counter);
            return await PublishAndDrainAsync($"bridge, {store}", uri, TrackRequestConsumerDefinition.QueueName, messages, counter, progress, cancellationToken);
        }
        finally
        {
            await BridgeLauncher.StopAsync(app, store, connectionString);
        }
    }

    private static async Task<(string, double, TimeSpan, TimeSpan)> PublishAndDrainAsync(string name, Uri uri, string queue, int messages, ConsumeCounter counter, Progress progress, CancellationToken cancellationToken)
    {
        progress.Phase($"{name}: publishing {messages} commands");
        var factory = new ConnectionFactory { Uri = uri };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            var body = Encoding.UTF8.GetBytes($$"""{"request_id":"intake-{{run}}-{{i}}","endpoint_kind":"image","correlation_id":"c-{{i}}"}""");
            await channel.BasicPublishAsync("", queue, false, properties, body, cancellationToken);
        }

        var published = clock.Elapsed;
        // Bounded: a consumer slower than 20 messages/s is reported as it stands.
        var limit = TimeSpan.FromSeconds(30 + (messages / 20.0));
        while (counter.Count < messages && clock.Elapsed < limit)
        {
            await Task.Delay(20, cancellationToken);
            progress.Tick(() => $"{name}: {counter.Count}/{messages} consumed");
        }

        var total = clock.Elapsed;
        var rate = counter.Count / total.TotalSeconds;
        progress.Phase($"{name}: {counter.Count} consumed in {total.TotalSeconds:0.0} s, {rate:0}/s");
        return (name, rate, published, total);
    }

    private sealed class ConsumeCounter : IConsumeObserver
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            if (context.Message is TrackRequest)
            {
                Interlocked.Increment(ref _count);
            }

            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}
