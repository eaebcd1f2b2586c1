using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Webhooks;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using Xunit.Abstractions;

namespace Bria.StatusBridge.IntegrationTests.Webhooks;

/// <summary>Webhook delivery end to end: the simulator ends requests, the bridge (PostgreSQL, RabbitMQ) signs and
/// POSTs them to real receivers on loopback.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class WebhookDeliveryTests(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Signed_webhooks_arrive_for_both_outcomes_and_verify_also_across_a_rotation()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var env = await StartAsync();
        await WebhookTestData.AddPartnerAsync(env.Database, "partner-a");
        var endpointSecret = await WebhookTestData.AddEndpointAsync(env.Database, "partner-a", "ep-a", receiver.Url("endpoint"));
        env.Simulator.State.CreateJob(new JobSpec { RequestId = "ok-1", DurationMs = 200, Outcome = JobOutcome.Completed });
        env.Simulator.State.CreateJob(new JobSpec { RequestId = "err-1", DurationMs = 200, Outcome = JobOutcome.Error });

        await env.Bridge.Bus.Publish(new TrackRequest
        {
            RequestId = "ok-1",
            CorrelationId = "c-ok",
            PartnerId = "partner-a",
            WebhookUrl = receiver.Url("per-request"),
            Metadata = new Dictionary<string, string> { ["order"] = "17" },
        });
        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "err-1", CorrelationId = "c-err", PartnerId = "partner-a" });
        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "err-1", CorrelationId = "c-anon", WebhookUrl = receiver.Url("anonymous") });

        await Eventually.HoldsAsync(() => receiver.On("/endpoint").Count >= 2 && receiver.On("/per-request").Count >= 1 && receiver.On("/anonymous").Count >= 1, Wait, () => Describe(receiver));

        var completed = receiver.On("/endpoint").Single(r => Type(r) == "request.completed");
        var failed = receiver.On("/endpoint").Single(r => Type(r) == "request.failed");
        new StandardWebhook(endpointSecret).Verify(completed.Body, completed.Headers);
        new StandardWebhook(endpointSecret).Verify(failed.Body, failed.Headers);
        using (var json = JsonDocument.Parse(completed.Body))
        {
            var data = json.RootElement.GetProperty("data");
            Assert.Equal("ok-1", data.GetProperty("request_id").GetString());
            Assert.Equal("c-ok", data.GetProperty("correlation_id").GetString());
            Assert.Equal("17", data.GetProperty("metadata").GetProperty("order").GetString());
            Assert.True(data.TryGetProperty("result", out _));
        }

        using (var json = JsonDocument.Parse(failed.Body))
        {
            var data = json.RootElement.GetProperty("data");
            Assert.Equal("error", data.GetProperty("reason").GetString());
            Assert.Equal("422", data.GetProperty("error").GetProperty("code").GetString());
        }

        // The per-request URL of a partner's subscriber is signed with the partner's secret; a subscriber without a
        // partner gets the bridge's own.
        var secrets = env.Bridge.Services.GetRequiredService<IEndpointStore>();
        var partnerSecret = (await env.Bridge.Services.GetRequiredService<IPartnerStore>().GetSigningSecretsAsync("partner-a", CancellationToken.None))!.Current;
        var perRequest = receiver.On("/per-request")[0];
        new StandardWebhook(partnerSecret).Verify(perRequest.Body, perRequest.Headers);
        var anonymous = receiver.On("/anonymous")[0];
        new StandardWebhook(env.BridgeSecret).Verify(anonymous.Body, anonymous.Headers);
        Assert.Equal(4, new[] { completed, failed, perRequest, anonymous }.Select(r => r.WebhookId).Distinct().Count());

        // Rotation: the next message carries signatures by both secrets, and each verifies on its own.
        var rotated = await secrets.RotateEndpointSecretAsync("partner-a", "ep-a", null, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.NotNull(rotated);
        Assert.Equal(endpointSecret, rotated.Previous);
        env.Simulator.State.CreateJob(new JobSpec { RequestId = "ok-2", DurationMs = 100, Outcome = JobOutcome.Completed });
        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "ok-2", PartnerId = "partner-a" });
        await Eventually.HoldsAsync(() => receiver.On("/endpoint").Any(r => r.Body.Contains("\"ok-2\"", StringComparison.Ordinal)), Wait, () => Describe(receiver));

        var afterRotation = receiver.On("/endpoint").First(r => r.Body.Contains("\"ok-2\"", StringComparison.Ordinal));
        Assert.Equal(2, afterRotation.Signature.Split(' ').Distinct().Count());
        new StandardWebhook(rotated.Current).Verify(afterRotation.Body, afterRotation.Headers);
        new StandardWebhook(endpointSecret).Verify(afterRotation.Body, afterRotation.Headers);
    }

    [Fact]
    public async Task Receiver_failing_with_500_three_times_gets_the_message_on_schedule_with_one_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, call, _) =>
            Task.FromResult(call <= 3 ? Results.StatusCode(500) : Results.Ok()));
        await using var env = await StartAsync();
        await WebhookTestData.AddPartnerAsync(env.Database, "partner-b");
        await WebhookTestData.AddEndpointAsync(env.Database, "partner-b", "ep-b", receiver.Url("flaky"));
        env.Simulator.State.CreateJob(new JobSpec { RequestId = "retry-1", DurationMs = 100 });

        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "retry-1", PartnerId = "partner-b" });
        await Eventually.HoldsAsync(() => receiver.On("/flaky").Count >= 4, Wait, () => Describe(receiver));
        await Eventually.HoldsAsync(
            async () => await WebhookTestData.ScalarAsync<string>(env.Database, "SELECT state FROM webhook_deliveries WHERE endpoint_id = 'ep-b'") == "Delivered",
            Wait,
            () => "delivery not marked delivered");

        var calls = receiver.On("/flaky");
        Assert.Equal(4, calls.Count);
        Assert.Single(calls.Select(c => c.WebhookId).Distinct());
        for (var i = 1; i < calls.Count; i++)
        {
            var gap = calls[i].ReceivedAt - calls[i - 1].ReceivedAt;
            var step = Schedule[i];
            output.WriteLine($"attempt {i + 1}: {gap.TotalMilliseconds:0} ms after the previous (step {step.TotalMilliseconds} ms ±20%)");
            Assert.InRange(gap, (step * 0.8) - TimeSpan.FromMilliseconds(50), (step * 1.2) + TimeSpan.FromSeconds(1));
        }

        var attempts = await WebhookTestData.RowsAsync(
            env.Database,
            "SELECT a.attempt, a.status_code, a.latency_ms FROM webhook_attempts a JOIN webhook_deliveries d ON d.delivery_id = a.delivery_id WHERE d.endpoint_id = 'ep-b' ORDER BY a.attempt");
        Assert.Equal([1, 2, 3, 4], attempts.Select(a => (int)a[0]!));
        Assert.Equal([500, 500, 500, 200], attempts.Select(a => (int)a[1]!));
        Assert.Null(await WebhookTestData.ScalarAsync<long?>(env.Database, "SELECT failing_since FROM webhook_endpoints WHERE endpoint_id = 'ep-b'"));
    }

    [Fact]
    public async Task Gone_disables_the_endpoint_and_tells_operators()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, _, _) => Task.FromResult(Results.StatusCode(410)));
        await using var env = await StartAsync();
        var disabledEvents = new List<WebhookEndpointDisabled>();
        var handle = env.Bridge.Bus.ConnectReceiveEndpoint($"test-operator-{Guid.NewGuid():N}", e =>
            e.Handler<WebhookEndpointDisabled>(context =>
            {
                lock (disabledEvents)
                {
                    disabledEvents.Add(context.Message);
                }

                return Task.CompletedTask;
            }));
        await handle.Ready;
        await WebhookTestData.AddPartnerAsync(env.Database, "partner-c");
        await WebhookTestData.AddEndpointAsync(env.Database, "partner-c", "ep-gone", receiver.Url("gone"));
        env.Simulator.State.CreateJob(new JobSpec { RequestId = "gone-1", DurationMs = 100 });
        env.Simulator.State.CreateJob(new JobSpec { RequestId = "gone-2", DurationMs = 100 });

        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "gone-1", PartnerId = "partner-c" });
        await Eventually.HoldsAsync(() => { lock (disabledEvents) { return disabledEvents.Count > 0; } }, Wait, () => "no WebhookEndpointDisabled event");

        var disabled = disabledEvents.Single();
        Assert.Equal("ep-gone", disabled.EndpointId);
        Assert.Equal("partner-c", disabled.PartnerId);
        Assert.Equal(WebhookEndpointDisabledReason.Gone, disabled.Reason);
        Assert.Equal(410, disabled.LastStatusCode);
        Assert.NotNull(await WebhookTestData.ScalarAsync<long?>(env.Database, "SELECT disabled_at FROM webhook_endpoints WHERE endpoint_id = 'ep-gone'"));
        Assert.Equal("Failed", await WebhookTestData.ScalarAsync<string>(env.Database, "SELECT state FROM webhook_deliveries WHERE endpoint_id = 'ep-gone'"));

        // A disabled endpoint gets no new messages.
        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "gone-2", PartnerId = "partner-c" });
        await Eventually.HoldsAsync(
            async () => await WebhookTestData.ScalarAsync<string>(env.Database, "SELECT state FROM tracked_requests WHERE request_id = 'gone-2'") == "Completed",
            Wait,
            () => "gone-2 did not complete");
        Assert.Equal(0L, await WebhookTestData.ScalarAsync<long>(env.Database, "SELECT COUNT(*) FROM webhook_deliveries WHERE request_id = 'gone-2'"));
        Assert.Single(receiver.On("/gone"));
        await handle.StopAsync();
    }

    [Fact]
    public async Task Redirect_is_a_failure_and_is_not_followed()
    {
        WebhookReceiver? self = null;
        await using var receiver = await WebhookReceiver.StartAsync((path, _, _) =>
            Task.FromResult(path == "/moved" ? Results.Redirect(self!.Url("target").ToString()) : Results.Ok()));
        self = receiver;
        await using var env = await StartAsync();
        await WebhookTestData.AddPartnerAsync(env.Database, "partner-d");
        await WebhookTestData.AddEndpointAsync(env.Database, "partner-d", "ep-moved", receiver.Url("moved"));
        env.Simulator.State.CreateJob(new JobSpec { RequestId = "moved-1", DurationMs = 100 });

        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "moved-1", PartnerId = "partner-d" });
        await Eventually.HoldsAsync(() => receiver.On("/moved").Count >= 2, Wait, () => Describe(receiver));

        Assert.Empty(receiver.On("/target"));
        var statuses = await WebhookTestData.RowsAsync(
            env.Database,
            "SELECT a.status_code FROM webhook_attempts a JOIN webhook_deliveries d ON d.delivery_id = a.delivery_id WHERE d.endpoint_id = 'ep-moved'");
        Assert.All(statuses, s => Assert.Equal(302, (int)s[0]!));
        Assert.NotEqual("Delivered", await WebhookTestData.ScalarAsync<string>(env.Database, "SELECT state FROM webhook_deliveries WHERE endpoint_id = 'ep-moved'"));
    }

    [Fact]
    public async Task Hanging_receiver_times_out_without_delaying_a_healthy_one()
    {
        const int Requests = 20;
        await using var receiver = await WebhookReceiver.StartAsync(async (path, _, context) =>
        {
            if (path == "/hang")
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            return Results.Ok();
        });
        await using var env = await StartAsync();
        await WebhookTestData.AddPartnerAsync(env.Database, "partner-e");
        await WebhookTestData.AddEndpointAsync(env.Database, "partner-e", "ep-hang", receiver.Url("hang"));
        await WebhookTestData.AddEndpointAsync(env.Database, "partner-e", "ep-healthy", receiver.Url("healthy"));
        var ids = Enumerable.Range(0, Requests).Select(i => $"hang-{i}").ToList();
        foreach (var id in ids)
        {
            env.Simulator.State.CreateJob(new JobSpec { RequestId = id, DurationMs = 100 });
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(ids.Select(id => env.Bridge.Bus.Publish(new TrackRequest { RequestId = id, PartnerId = "partner-e" })));
        await Eventually.HoldsAsync(() => receiver.On("/healthy").Count >= Requests, Wait, () => Describe(receiver));
        var healthyDone = clock.Elapsed;
        var hangCalls = receiver.On("/hang").Count;

        // Each healthy delivery arrived soon after its outcome was stored, while the hanging endpoint held its slots.
        var lags = await WebhookTestData.RowsAsync(
            env.Database,
            "SELECT delivered_at - created_at FROM webhook_deliveries WHERE endpoint_id = 'ep-healthy'");
        var worstLag = TimeSpan.FromMilliseconds(lags.Max(l => Convert.ToInt64(l[0], CultureInfo.InvariantCulture)));
        output.WriteLine($"healthy: all {Requests} received {healthyDone.TotalMilliseconds:0} ms after tracking; worst creation-to-delivery lag {worstLag.TotalMilliseconds:0} ms; hanging receiver got {hangCalls} calls meanwhile");
        Assert.True(worstLag < AttemptTimeout, $"a healthy delivery waited {worstLag} (the hanging endpoint's timeout is {AttemptTimeout})");

        await Eventually.HoldsAsync(
            async () => await WebhookTestData.ScalarAsync<long>(env.Database, "SELECT COUNT(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.delivery_id = a.delivery_id WHERE d.endpoint_id = 'ep-hang' AND a.error LIKE 'Timed out%'") > 0,
            Wait,
            () => "no timed-out attempt recorded");
        // The hanging endpoint never had more than its own slots (2) at once: at most 2 calls per timeout period.
        var bound = 2 * (1 + (int)(healthyDone / AttemptTimeout));
        Assert.True(hangCalls <= bound, $"the hanging endpoint got {hangCalls} calls in {healthyDone}, more than its 2 slots allow ({bound})");
    }

    private static readonly TimeSpan[] Schedule =
    [
        TimeSpan.Zero,
        TimeSpan.FromMilliseconds(400),
        TimeSpan.FromMilliseconds(800),
        TimeSpan.FromMilliseconds(1200),
        TimeSpan.FromMilliseconds(1600),
    ];

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    private static string Type(ReceivedWebhook webhook)
    {
        using var json = JsonDocument.Parse(webhook.Body);
        return json.RootElement.GetProperty("type").GetString()!;
    }

    [Fact]
    public async Task Webhooks_reach_an_HTTPS_receiver_whose_private_root_only_the_bridge_trusts_and_no_receiver_of_another_root()
    {
        using var trusted = new TestCertificates("Trusted");
        using var untrusted = new TestCertificates("Untrusted");
        using var trustedCertificate = trusted.IssueServerCertificate();
        using var untrustedCertificate = untrusted.IssueServerCertificate();
        await using var receiver = await WebhookReceiver.StartAsync(null, trustedCertificate);
        await using var stranger = await WebhookReceiver.StartAsync(null, untrustedCertificate);
        Assert.Equal("https", receiver.BaseUrl.Scheme);
        await using var env = await StartAsync(new Dictionary<string, string?>
        {
            // HTTPS required, as outside Development; the receivers are on loopback, so the guard must admit them.
            ["Webhooks:RequireHttps"] = "true",
            ["Webhooks:TrustedRootCertificates:0"] = trusted.RootPemPath,
        });
        env.Simulator.State.CreateJob(new JobSpec { RequestId = "tls-1", DurationMs = 100, Outcome = JobOutcome.Completed });

        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "tls-1", CorrelationId = "c-tls", WebhookUrl = receiver.Url("secure") });
        await env.Bridge.Bus.Publish(new TrackRequest { RequestId = "tls-1", CorrelationId = "c-stranger", WebhookUrl = stranger.Url("secure") });
        await Eventually.HoldsAsync(() => receiver.On("/secure").Count >= 1, Wait, () => Describe(receiver));

        var delivered = receiver.On("/secure")[0];
        new StandardWebhook(env.BridgeSecret).Verify(delivered.Body, delivered.Headers);
        Assert.Equal("request.completed", Type(delivered));

        // The stranger's certificate chains to a root nobody trusts: the attempt fails at the TLS handshake.
        await Eventually.HoldsAsync(
            async () => await StoreQueries.ScalarAsync("Postgres", env.Database, $"SELECT COUNT(*) FROM webhook_deliveries WHERE url LIKE '{stranger.BaseUrl}%' AND attempts > 0 AND state <> 'Delivered'") > 0,
            Wait,
            () => "no failed attempt to the receiver with an untrusted certificate");
        Assert.Empty(stranger.Received);
    }

    private static string Describe(WebhookReceiver receiver) =>
        "received: " + string.Join(", ", receiver.Received.GroupBy(r => r.Path).Select(g => $"{g.Key} x{g.Count()}"));

    private async Task<TestEnvironment> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var simulator = await SimulatorHost.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        var bridgeSecret = WebhookSecret.Generate();
        var settings = BridgeHost.ServerSettings(simulator, database, await rabbit.CreateVirtualHostAsync());
        foreach (var (key, value) in WebhookSettings(bridgeSecret).Concat(overrides ?? new Dictionary<string, string?>()))
        {
            settings[key] = value;
        }

        var bridge = await BridgeHost.StartAsync(settings);
        return new TestEnvironment(simulator, bridge, database, bridgeSecret);
    }

    internal static Dictionary<string, string?> WebhookSettings(string bridgeSecret)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:SigningSecret"] = bridgeSecret,
            ["Webhooks:RequireHttps"] = "false",
            ["Webhooks:AllowedSubnets:0"] = "127.0.0.1/32",
            ["Webhooks:MaxIdleDelay"] = "00:00:00.100",
            ["Webhooks:Timeout"] = AttemptTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Webhooks:ConnectTimeout"] = "00:00:01",
            ["Webhooks:LeaseDuration"] = "00:00:04",
            ["Webhooks:MaxConcurrencyPerDestination"] = "2",
        };
        for (var i = 0; i < Schedule.Length; i++)
        {
            settings[$"Webhooks:RetrySchedule:{i}"] = Schedule[i].ToString("c", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private sealed record TestEnvironment(SimulatorHost Simulator, BridgeHost Bridge, string Database, string BridgeSecret) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Bridge.DisposeAsync();
            await Simulator.DisposeAsync();
        }
    }
}
