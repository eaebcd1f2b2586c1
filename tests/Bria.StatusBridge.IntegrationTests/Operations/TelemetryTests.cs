using System.Diagnostics;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.IntegrationTests.Webhooks;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Http;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bria.StatusBridge.IntegrationTests.Operations;

[Collection(SerialCollectionDefinition.Name)]
public sealed class TelemetryTests(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    private const string RequestId = "otel-1";

    [Fact]
    public async Task One_trace_links_the_command_the_polls_and_the_event_and_the_metrics_are_exported()
    {
        var activities = new LockedCollection<Activity>();
        var metrics = new LockedCollection<MetricSnapshot>();
        await using var simulator = await SimulatorHost.StartAsync();
        var settings = BridgeHost.ServerSettings(simulator, await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync());
        await using var bridge = await BridgeHost.StartAsync(settings, builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(activities));
            builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        });
        await using var collector = await OutcomeCollector.ConnectAsync(bridge.Bus);
        // 3 s: polled at 0.2 s, 0.5 s, 1 s, 1.6 s ... after intake, so several polls even when the command takes a second
        // or two to reach the bridge (the job's clock starts here; with 0.9 s a slow intake once left one poll).
        simulator.State.CreateJob(new JobSpec { RequestId = RequestId, EndpointKind = JobKind.Image, DurationMs = 3000, Outcome = JobOutcome.Completed });

        await bridge.Bus.Publish(new TrackRequest { RequestId = RequestId, CorrelationId = "otel" });
        await collector.WaitForAllAsync([RequestId], TimeSpan.FromSeconds(30));

        // The trace: the command's publish and consume, every poll (each with its HTTP call), the event's publish.
        var spans = await WaitForAsync(activities.ToList, s => s.Any(a => a.OperationName == "publish outcome"));
        var polls = spans.Where(a => a.OperationName == "poll" && Equals(a.GetTagItem("bria.request_id"), RequestId)).ToList();
        Assert.True(polls.Count >= 2, $"expected several polls, saw {polls.Count}");
        var traceId = polls[0].TraceId;
        Assert.All(polls, p => Assert.Equal(traceId, p.TraceId));
        var trace = spans.Where(a => a.TraceId == traceId).ToList();
        Assert.Contains(trace, a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer && a.DisplayName.Contains("track-request", StringComparison.Ordinal));
        Assert.Contains(trace, a => a.OperationName == "publish outcome" && Equals(a.GetTagItem("bria.request_id"), RequestId));
        Assert.Contains(trace, a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer && a.ParentSpanId != default
            && trace.Any(p => p.SpanId == a.ParentSpanId && p.OperationName == "publish outcome"));
        Assert.Contains(trace, a => a.Kind == ActivityKind.Client && a.Source.Name.Contains("Http", StringComparison.Ordinal)
            && trace.Any(p => p.SpanId == a.ParentSpanId && p.OperationName == "poll"));

        // The metrics, read through the in-process exporter (the gauges are cached for 5 s: wait for a fresh count).
        var meterProvider = bridge.Services.GetRequiredService<MeterProvider>();
        var exported = await WaitForAsync(
            () =>
            {
                metrics.Clear();
                meterProvider.ForceFlush();
                return metrics.ToList();
            },
            m => Gauge(m, "bria.statusbridge.tracked_requests", "state", "completed") == 1,
            TimeSpan.FromSeconds(15));

        Assert.Equal(0, Gauge(exported, "bria.statusbridge.tracked_requests", "state", "tracking"));
        Assert.Equal(0, Gauge(exported, "bria.statusbridge.outbox.backlog"));
        Assert.Equal(6000, Gauge(exported, "bria.statusbridge.upstream.budget_per_minute"));
        Assert.Equal(polls.Count, Sum(exported, "bria.statusbridge.status_calls"));
        Assert.Equal(1, Sum(exported, "bria.statusbridge.status_calls", "outcome", "completed"));
        Assert.True(Sum(exported, "bria.statusbridge.status_calls", "outcome", "in_progress") >= 1);
        Assert.Equal(polls.Count, HistogramCount(exported, "bria.statusbridge.status_call.duration"));
        Assert.Equal(1, HistogramCount(exported, "bria.statusbridge.detection_lag"));
        // A 900 ms job polled every 200 to 1000 ms: noticed within a couple of seconds.
        Assert.InRange(HistogramSum(exported, "bria.statusbridge.detection_lag"), 0.0, 5.0);
        Assert.Equal(1, Sum(exported, "bria.statusbridge.deliveries", "outcome", "delivered"));
        Assert.Equal(1, HistogramCount(exported, "bria.statusbridge.notification_lag"));
        Assert.InRange(HistogramSum(exported, "bria.statusbridge.notification_lag"), 0.0, 10.0);

        // The same, in Prometheus text format.
        using var http = new HttpClient { BaseAddress = bridge.BaseUrl };
        using var scrape = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.True(scrape.IsSuccessStatusCode, $"/metrics answered {(int)scrape.StatusCode}");
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        foreach (var line in new[]
        {
            "# TYPE bria_statusbridge_status_calls_total counter",
            "# TYPE bria_statusbridge_status_call_duration_seconds histogram",
            "# TYPE bria_statusbridge_detection_lag_seconds histogram",
            "# TYPE bria_statusbridge_notification_lag_seconds histogram",
            "# TYPE bria_statusbridge_deliveries_total counter",
            "# TYPE bria_statusbridge_tracked_requests gauge",
            "# TYPE bria_statusbridge_outbox_backlog gauge",
            "bria_statusbridge_tracked_requests{otel_scope_name=\"Bria.StatusBridge\",state=\"completed\"} 1",
        })
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Webhook_attempts_join_the_request_trace_and_record_deliveries_lag_and_backlog()
    {
        const string requestId = "otel-webhook-1";
        const string secretPath = "hooks/t0ken-in-the-path";
        var activities = new LockedCollection<Activity>();
        var metrics = new LockedCollection<MetricSnapshot>();
        await using var receiver = await WebhookReceiver.StartAsync((_, call, _) =>
            Task.FromResult(call == 1 ? Results.StatusCode(500) : Results.Ok()));
        await using var simulator = await SimulatorHost.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        var settings = BridgeHost.ServerSettings(simulator, database, await rabbit.CreateVirtualHostAsync());
        foreach (var (key, value) in WebhookDeliveryTests.WebhookSettings(WebhookSecret.Generate()))
        {
            settings[key] = value;
        }

        await using var bridge = await BridgeHost.StartAsync(settings, builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(activities));
            builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        });
        await WebhookTestData.AddPartnerAsync(database, "partner-otel");
        await WebhookTestData.AddEndpointAsync(database, "partner-otel", "ep-otel", receiver.Url(secretPath));
        simulator.State.CreateJob(new JobSpec { RequestId = requestId, EndpointKind = JobKind.Image, DurationMs = 500, Outcome = JobOutcome.Completed });

        await bridge.Bus.Publish(new TrackRequest { RequestId = requestId, CorrelationId = "otel-webhook", PartnerId = "partner-otel" });
        await Eventually.HoldsAsync(() => receiver.On("/" + secretPath).Count >= 2, TimeSpan.FromSeconds(30), () => $"the receiver got {receiver.Received.Count} calls");

        // Two attempts (500, then 200), each a span in the trace of the request's polls, with one webhook-id.
        var spans = await WaitForAsync(activities.ToList, s => s.Count(a => a.OperationName == WebhookDispatcher.AttemptActivityName) >= 2);
        var attempts = spans.Where(a => a.OperationName == WebhookDispatcher.AttemptActivityName)
            .OrderBy(a => (int)a.GetTagItem("webhook.attempt")!).ToList();
        Assert.Equal(2, attempts.Count);
        var poll = spans.First(a => a.OperationName == "poll" && Equals(a.GetTagItem("bria.request_id"), requestId));
        Assert.All(attempts, a => Assert.Equal(poll.TraceId, a.TraceId));
        Assert.All(attempts, a => Assert.Equal(ActivityKind.Client, a.Kind));
        Assert.All(attempts, a => Assert.Equal("ep-otel", a.GetTagItem("webhook.endpoint_id")));
        Assert.All(attempts, a => Assert.Equal(requestId, a.GetTagItem("bria.request_id")));
        Assert.Single(attempts.Select(a => a.GetTagItem("webhook.id")).Distinct());
        Assert.Equal(receiver.On("/" + secretPath)[0].WebhookId, attempts[0].GetTagItem("webhook.id"));
        Assert.Equal([1, 2], attempts.Select(a => (int)a.GetTagItem("webhook.attempt")!));
        Assert.Equal([500, 200], attempts.Select(a => (int)a.GetTagItem("http.response.status_code")!));
        Assert.Equal(["failed", "delivered"], attempts.Select(a => (string)a.GetTagItem("webhook.outcome")!));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);

        // The POST itself is a child span; no span of the trace records the URL's path (it can hold a token) or the body.
        var trace = spans.Where(a => a.TraceId == poll.TraceId).ToList();
        Assert.Contains(trace, a => a.Kind == ActivityKind.Client && a.Source.Name.Contains("Http", StringComparison.Ordinal)
            && a.ParentSpanId == attempts[1].SpanId);
        // (The receiver runs in this process: its own server spans, in the same trace, are not the bridge's.)
        var body = receiver.On("/" + secretPath)[1].Body;
        Assert.DoesNotContain(trace.Where(a => a.Kind != ActivityKind.Server).SelectMany(a => a.TagObjects), t => t.Value?.ToString() is { } v
            && (v.Contains("t0ken-in-the-path", StringComparison.Ordinal) || v.Contains(body, StringComparison.Ordinal)));

        // The metrics: one failed attempt, one delivery, one notification lag on the webhook channel, nothing pending.
        var meterProvider = bridge.Services.GetRequiredService<MeterProvider>();
        var exported = await WaitForAsync(
            () =>
            {
                metrics.Clear();
                meterProvider.ForceFlush();
                return metrics.ToList();
            },
            m => Gauge(m, "bria.statusbridge.tracked_requests", "state", "completed") == 1 && Gauge(m, "bria.statusbridge.webhook.backlog") == 0,
            TimeSpan.FromSeconds(15));

        Assert.Equal(1, Sum(exported, "bria.statusbridge.deliveries", ("channel", "webhook"), ("outcome", "delivered")));
        Assert.Equal(1, Sum(exported, "bria.statusbridge.deliveries", ("channel", "webhook"), ("outcome", "failed")));
        Assert.Equal(1, Sum(exported, "bria.statusbridge.deliveries", ("channel", "bus"), ("outcome", "delivered")));
        Assert.Equal(1, HistogramCount(exported, "bria.statusbridge.notification_lag", ("channel", "webhook")));
        // Noticed, then a failed attempt, then the first retry step (400 ms) later: well under ten seconds.
        Assert.InRange(HistogramSum(exported, "bria.statusbridge.notification_lag", ("channel", "webhook")), 0.3, 10.0);
        Assert.Equal(2, HistogramCount(exported, "bria.statusbridge.webhook.attempt.duration"));
        Assert.Equal(0, Gauge(exported, "bria.statusbridge.webhook.backlog"));
        Assert.Equal(0, Gauge(exported, "bria.statusbridge.operator_events.backlog"));

        using var http = new HttpClient { BaseAddress = bridge.BaseUrl };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (var line in new[]
        {
            "# TYPE bria_statusbridge_webhook_attempt_duration_seconds histogram",
            "# TYPE bria_statusbridge_webhook_backlog gauge",
            "# TYPE bria_statusbridge_operator_events_backlog gauge",
        })
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }

        Assert.Contains(text.Split('\n'), line => line.StartsWith("bria_statusbridge_deliveries_total{", StringComparison.Ordinal)
            && line.Contains("channel=\"webhook\"", StringComparison.Ordinal) && line.Contains("outcome=\"delivered\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Counters_exist_at_zero_from_the_start_and_a_late_subscriber_stays_out_of_the_notification_lag()
    {
        const string requestId = "otel-late-1";
        var metrics = new LockedCollection<MetricSnapshot>();
        await using var simulator = await SimulatorHost.StartAsync();
        var settings = BridgeHost.ServerSettings(simulator, await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync());
        await using var bridge = await BridgeHost.StartAsync(settings, builder =>
            builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)));

        // Before any request: the counters that alerts divide or compare are there, at 0.
        using var http = new HttpClient { BaseAddress = bridge.BaseUrl };
        var before = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
        foreach (var counter in new[] { "bria_statusbridge_upstream_throttled_total", "bria_statusbridge_upstream_budget_exhausted_seconds_total" })
        {
            Assert.Contains(before, line => line.StartsWith(counter + "{", StringComparison.Ordinal) && line.Split(' ')[1] == "0");
        }

        // A subscriber waits for the outcome; a second one arrives after it was noticed and is answered from the store.
        await using var collector = await OutcomeCollector.ConnectAsync(bridge.Bus);
        simulator.State.CreateJob(new JobSpec { RequestId = requestId, EndpointKind = JobKind.Image, DurationMs = 300, Outcome = JobOutcome.Completed });
        await bridge.Bus.Publish(new TrackRequest { RequestId = requestId, CorrelationId = "waiting" });
        await collector.WaitForAllAsync([requestId], TimeSpan.FromSeconds(30));
        await bridge.Bus.Publish(new TrackRequest { RequestId = requestId, CorrelationId = "late" });
        await Eventually.HoldsAsync(
            () => Task.FromResult(collector.For(requestId).Count >= 2),
            TimeSpan.FromSeconds(30),
            () => $"the late subscriber got no outcome; received {collector.For(requestId).Count}");

        var meterProvider = bridge.Services.GetRequiredService<MeterProvider>();
        var exported = await WaitForAsync(
            () =>
            {
                metrics.Clear();
                meterProvider.ForceFlush();
                return metrics.ToList();
            },
            m => Sum(m, "bria.statusbridge.deliveries", ("channel", "bus"), ("outcome", "delivered")) == 2);

        Assert.Equal(2, Sum(exported, "bria.statusbridge.deliveries", ("channel", "bus"), ("outcome", "delivered")));
        Assert.Equal(1, HistogramCount(exported, "bria.statusbridge.notification_lag", ("channel", "bus")));
        Assert.True(Sum(exported, "bria.statusbridge.status_calls", ("endpoint_kind", "image"), ("outcome", "completed")) == 1, "status calls are tagged endpoint_kind=image");
    }

    private static Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan? timeout = null) =>
        Eventually.ReadAsync(() => Task.FromResult(read()), done, timeout ?? TimeSpan.FromSeconds(10));

    private static IEnumerable<MetricPoint> Points(IEnumerable<MetricSnapshot> metrics, string name, (string Key, string Value)[] tags) =>
        metrics.Where(m => m.Name == name)
            .SelectMany(m => m.MetricPoints)
            .Where(p => tags.All(tag => Tags(p).Any(t => t.Key == tag.Key && Equals(t.Value?.ToString(), tag.Value))));

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }

    private static (string Key, string Value)[] TagsOf(string? tag, string? value) => tag is null ? [] : [(tag, value!)];

    private static long Gauge(IEnumerable<MetricSnapshot> metrics, string name, string? tag = null, string? value = null) =>
        Points(metrics, name, TagsOf(tag, value)).Select(p => p.GetGaugeLastValueLong()).DefaultIfEmpty(-1).Last();

    private static long Sum(IEnumerable<MetricSnapshot> metrics, string name, string? tag = null, string? value = null) =>
        Sum(metrics, name, TagsOf(tag, value));

    private static long Sum(IEnumerable<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        Points(metrics, name, tags).Sum(p => p.GetSumLong());

    private static long HistogramCount(IEnumerable<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        Points(metrics, name, tags).Sum(p => p.GetHistogramCount());

    private static double HistogramSum(IEnumerable<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        Points(metrics, name, tags).Sum(p => p.GetHistogramSum());
}
