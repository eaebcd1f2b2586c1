using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Simulator;
using MassTransit;

namespace Bria.StatusBridge.Demo;

/// <summary><c>demo</c>: the bridge on its embedded defaults (SQLite, in-memory bus) against an in-process Bria
/// simulator. It tracks one request of every outcome, shows each turning into its event, then keeps serving.</summary>
internal static class DemoCommand
{
    private const int DefaultPort = 8080;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        // Quiet: the demo's own lines come first.
        await using var simulator = await SimulatorHost.StartAsync(["--Logging:LogLevel:Default=Warning"], ct: cancellationToken);
        // Each demo starts from an empty store of its own: requests of an earlier run would poll a simulator that is
        // gone, and two demos at once must not share one.
        var database = Path.Combine(Path.GetTempPath(), $"statusbridge-demo-{Environment.ProcessId}.db");
        DeleteStore(database);

        var app = BridgeApplication.Create(args, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Bria:BaseUrl"] = simulator.BaseUrl.ToString(),
                ["Bria:ApiToken"] = simulator.ApiToken,
                ["Persistence:Provider"] = "Sqlite",
                ["ConnectionStrings:StatusBridge"] = $"Data Source={database}",
                ["Bus:Transport"] = "InMemory",
                ["Polling:RequestsPerMinute"] = "600",
                ["Polling:NotFoundGrace"] = "00:00:02",
                ["Polling:Image:FirstDelay"] = "00:00:01",
                ["Polling:Image:Interval"] = "00:00:00.500",
                ["Polling:Image:Ceiling"] = "00:00:02",
                ["Polling:StructuredPrompt:FirstDelay"] = "00:00:01",
                ["Polling:StructuredPrompt:Interval"] = "00:00:00.500",
                ["Polling:StructuredPrompt:Ceiling"] = "00:00:02",
                ["Polling:Video:FirstDelay"] = "00:00:05",
                ["Polling:Video:Interval"] = "00:00:02",
                ["Polling:Video:Ceiling"] = "00:00:05",
                // Requests Bria pushes: a first safety poll after 6 s, so a lost push is found within the demo.
                ["Polling:PushSafety:Image:FirstDelay"] = "00:00:06",
                ["Polling:PushSafety:Image:Interval"] = "00:00:02",
                ["Polling:PushSafety:Image:Ceiling"] = "00:00:04",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
            if (!args.Any(a => a.StartsWith("--urls", StringComparison.Ordinal)))
            {
                // 8080 as the README says, or any free port when something else already listens there.
                builder.WebHost.UseUrls(PortIsFree(DefaultPort) ? $"http://127.0.0.1:{DefaultPort}" : "http://127.0.0.1:0");
            }
        });

        await app.StartAsync(cancellationToken);
        var bus = app.Services.GetRequiredService<IBus>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var started = time.GetUtcNow();
        var runId = started.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var webhookUrl = new Uri(new Uri(app.Urls.First()), "/v1/bria/webhooks");
        var scenarios = DemoScenario.All(runId);
        simulator.State.SetWebhookSettings(new Simulator.Webhooks.WebhookSettings
        {
            LossRate = 1,
            RequestIds = [.. scenarios.Where(s => s.PushLost).Select(s => s.Job.RequestId!)],
        });
        var pending = new ConcurrentDictionary<string, DemoScenario>(scenarios.ToDictionary(s => s.Job.RequestId!));
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void Report(string requestId, DateTimeOffset finishedAt, DateTimeOffset noticedAt, string outcome)
        {
            if (!pending.TryRemove(requestId, out var scenario))
            {
                return;
            }

            var stats = simulator.State.GetStats().Requests.GetValueOrDefault(requestId);
            var briaDone = stats?.FinishesAt is { } finishes && finishes < finishedAt ? finishes : finishedAt;
            var received = time.GetUtcNow();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  +{(received - started).TotalSeconds,5:0.0}s  {scenario.Title,-38} -> {outcome,-36} Bria done +{(briaDone - started).TotalSeconds:0.0}s, noticed +{(noticedAt - started).TotalSeconds:0.0}s, event +{(received - started).TotalSeconds:0.0}s, {stats?.Count ?? 0} status calls"));
            if (pending.IsEmpty)
            {
                allDone.TrySetResult();
            }
        }

        var endpoint = bus.ConnectReceiveEndpoint("demo-outcomes", e =>
        {
            e.Handler<RequestCompleted>(context =>
            {
                var result = context.Message.Result;
                var what = result.ImageUrl?.ToString() ?? result.VideoUrl?.ToString() ?? (result.StructuredPrompt is null ? "a result" : "a structured prompt");
                Report(context.Message.RequestId, context.Message.FinishedAt, context.Message.NoticedAt, $"RequestCompleted ({Path.GetFileName(what)})");
                return Task.CompletedTask;
            });
            e.Handler<RequestFailed>(context =>
            {
                Report(context.Message.RequestId, context.Message.FinishedAt, context.Message.NoticedAt, $"RequestFailed ({context.Message.Reason})");
                return Task.CompletedTask;
            });
        });
        await endpoint.Ready;

        Console.WriteLine($"Bria simulator at {simulator.BaseUrl}; bridge on SQLite ({database}) with the in-memory bus.");
        Console.WriteLine($"Bria pushes to {webhookUrl} (Bria__WebhookPublicUrl: the webhook_url producers hand Bria).");
        Console.WriteLine($"Tracking {scenarios.Count} requests, one of each outcome:");
        foreach (var scenario in scenarios)
        {
            simulator.State.CreateJob(scenario.BriaPushes ? scenario.Job with { WebhookUrl = webhookUrl } : scenario.Job);
            await bus.Publish(
                new TrackRequest
                {
                    RequestId = scenario.Job.RequestId!,
                    EndpointKind = scenario.Kind,
                    CorrelationId = $"demo-{scenario.Job.RequestId}",
                    Deadline = scenario.Deadline is { } deadline ? started + deadline : null,
                    Metadata = new Dictionary<string, string> { ["scenario"] = scenario.Title },
                    BriaPushes = scenario.BriaPushes,
                },
                cancellationToken);
        }

        await allDone.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var stats = simulator.State.GetStats();
        Console.WriteLine($"All {scenarios.Count} outcomes arrived after {(time.GetUtcNow() - started).TotalSeconds:0.0} s, with {stats.TotalStatusCalls} status calls in all.");
        Console.WriteLine($"Bria's webhooks: {stats.Webhooks.Delivered} delivered, {stats.Webhooks.Lost} lost; the lost one was found by the safety poll.");
        Console.WriteLine($"The bridge keeps serving at {string.Join(", ", app.Urls)} (health: /healthz). Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync(cancellationToken);
        await app.DisposeAsync();
        DeleteStore(database);
        return 0;
    }

    private static void DeleteStore(string database)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileName(database) + "*"))
        {
            File.Delete(file);
        }
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
