using System.Net;
using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.IntegrationTests.Webhooks;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Simulator.Faults;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Bria.StatusBridge.IntegrationTests.Resilience;

/// <summary>The fault suite: the bridge as a separate process on PostgreSQL and RabbitMQ, each reached through a proxy
/// the test can cut (an outage as the bridge sees it) while the test's own connections go on. Every case ends with
/// every command tracked and every subscriber notified exactly once or with the same MessageId, and checks readiness
/// and the logs along the way.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
[Trait("Category", "Slow")]
public sealed class OutageTests(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    /// <summary>An Error or Critical line of the bridge's JSON console log.</summary>
    private const string ErrorLine = "\"LogLevel\":\"(Error|Critical)\"";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The fault suite's fast fixed schedule (<see cref="BrokerRestartTests"/> polls on it too).</summary>
    internal static readonly KindSchedule Schedule = new()
    {
        Mode = PollMode.Fixed,
        FirstDelay = TimeSpan.FromMilliseconds(500),
        Interval = TimeSpan.FromMilliseconds(500),
        Growth = 1.5,
        Ceiling = TimeSpan.FromSeconds(1),
        Jitter = 0.1,
    };

    [Fact]
    public async Task Commands_sent_while_the_store_is_down_longer_than_any_retry_window_wait_in_RabbitMQ_and_are_all_tracked_once_it_is_back()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 3000);
        await using var servers = ProxiedServers.Route(scenario);
        scenario.Settings["Outages:StoreProbeInterval"] = "00:00:00.500";
        var bridge = await scenario.StartBridgeAsync("store-outage");
        await Readiness.WaitForAsync(bridge.BaseUrl!, HttpStatusCode.OK, Patience);
        var (ids, failing) = scenario.CreateJobs("store", 64, maxDurationMs: 2000, errorEvery: 5, seed: 15);
        await scenario.PublishAsync(ids.Take(4));

        servers.Store.Cut();
        await Readiness.WaitForAsync(bridge.BaseUrl!, HttpStatusCode.ServiceUnavailable, Patience, "\"database\":{\"status\":\"Unhealthy\"");
        // Commands keep arriving for 100 s: longer than the consumer's retry window (8 retries, about 80 s), which
        // used to move them to track-request_error.
        foreach (var chunk in ids.Skip(4).Chunk(10))
        {
            await scenario.PublishAsync(chunk);
            await Task.Delay(TimeSpan.FromSeconds(100.0 / 6));
        }

        await using var raw = await RawCommandChannel.ConnectAsync(servers.DirectBroker);
        Assert.Empty(await raw.ErrorsAsync());
        var waiting = await QueueDepthAsync(servers.DirectBroker);
        var probes = await PrometheusScrape.ValueAsync(bridge.BaseUrl!, "bria_statusbridge_dependency_failures_total", "dependency=\"store\"");
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(bridge.BaseUrl!, "/healthz"));

        // Counted before the store returns: on a busy shared server, a refusal after it (too many connections) is a
        // real, separate condition and is logged as one.
        var began = bridge.CountLines("Outage of store began");
        var errors = bridge.CountLines(ErrorLine);

        servers.Store.Restore();
        await Readiness.WaitForAsync(bridge.BaseUrl!, HttpStatusCode.OK, Patience, "\"database\":{\"status\":\"Healthy\"");
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(90));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        Assert.Empty(await raw.ErrorsAsync());
        Assert.Equal(1, began);
        Assert.True(bridge.CountLines("Outage of store ended") >= 1, $"the end of the outage was not logged:\n{bridge.Tail()}");
        // Not a busy loop: the probe (every 0.5 s) and the waiting work report the store's failures, nothing spins.
        Assert.True(probes < 1000, $"{probes} store failures counted in a 100 s outage: something spins");
        Assert.True(errors == 1, $"{errors} error lines during a 100 s store outage:\n{bridge.Tail()}");
        output.WriteLine($"{ids.Count} commands, 60 sent during a 100 s store outage: {waiting} still ready in the queue at its end " +
            $"(the rest held unacknowledged by the waiting consumer), {probes} store failures counted, {errors} error lines, " +
            $"{duplicates} duplicate events (same MessageId)");
    }

    [Fact]
    public async Task The_broker_stopped_and_started_with_requests_in_flight_loses_nothing_and_readiness_says_so()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 3000);
        await using var servers = ProxiedServers.Route(scenario);
        scenario.Settings["Notifications:RetryCeiling"] = "00:00:02";
        var bridge = await scenario.StartBridgeAsync("broker-outage");
        var (ids, failing) = scenario.CreateJobs("broker", 200, maxDurationMs: 6000, errorEvery: 7, seed: 16);
        await scenario.PublishAsync(ids.Take(150));
        Assert.True(await Eventually.WithinAsync(() => scenario.Answered().Count >= 20, Patience), $"No outcomes before the outage.\n{bridge.Tail()}");

        servers.Broker.Cut();
        await Readiness.WaitForAsync(bridge.BaseUrl!, HttpStatusCode.ServiceUnavailable, Patience, () => $"broker proxy {servers.Broker.Describe()}\n{bridge.Tail()}", "\"masstransit-bus\"");
        // More commands while the bridge cannot reach the broker: they wait in the queue.
        await scenario.PublishAsync(ids.Skip(150));
        await Task.Delay(TimeSpan.FromSeconds(10));
        var answeredDuringOutage = scenario.Answered().Count;

        servers.Broker.Restore();
        await Readiness.WaitForAsync(bridge.BaseUrl!, HttpStatusCode.OK, TimeSpan.FromSeconds(60), "\"masstransit-bus\"");
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(90));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        Assert.Equal(1, bridge.CountLines("Outage of bus began"));
        Assert.Equal(1, bridge.CountLines("Outage of bus ended"));
        output.WriteLine($"{answeredDuringOutage} of {ids.Count} answered when the broker came back; all answered after; {duplicates} duplicates (same MessageId)");
    }

    [Fact]
    public async Task A_bridge_killed_during_intake_tracks_every_command_after_its_restart()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 6000);
        await using var servers = ProxiedServers.Route(scenario);
        var first = await scenario.StartBridgeAsync("intake-before-kill");
        var (ids, failing) = scenario.CreateJobs("intake", 400, maxDurationMs: 3000, errorEvery: 9, seed: 17);

        // Commands keep arriving while the bridge is killed: some stored, some in flight, some still queued.
        var publishing = Task.Run(async () =>
        {
            foreach (var chunk in ids.Chunk(20))
            {
                await scenario.PublishAsync(chunk);
                await Task.Delay(50);
            }
        });
        Assert.True(
            await Eventually.WithinAsync(() => servers.ScalarAsync("SELECT COUNT(*) FROM tracked_requests").GetAwaiter().GetResult() >= 40, Patience),
            $"Nothing was stored.\n{first.Tail()}");
        await first.KillAsync();
        var storedAtKill = await servers.ScalarAsync("SELECT COUNT(*) FROM tracked_requests");
        Assert.True(storedAtKill < ids.Count, "intake had finished before the kill: nothing was proved");

        await scenario.StartBridgeAsync("intake-after-kill");
        await publishing;
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(90));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        Assert.Equal(ids.Count, await servers.ScalarAsync("SELECT COUNT(*) FROM tracked_requests WHERE request_id LIKE 'intake-%'"));
        output.WriteLine($"killed with {storedAtKill} of {ids.Count} commands stored; all tracked after the restart; {duplicates} duplicates");
    }

    [Fact]
    public async Task A_bridge_killed_during_the_outbox_drain_publishes_every_event_after_its_restart_with_the_same_MessageId()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 6000);
        await using var servers = ProxiedServers.Route(scenario);
        // Small batches: the drain takes long enough to be killed in the middle of it.
        scenario.Settings["Notifications:BatchSize"] = "2";
        scenario.Settings["Notifications:RetryCeiling"] = "00:00:01";
        var first = await scenario.StartBridgeAsync("drain-before-kill");
        var (ids, failing) = scenario.CreateJobs("drain", 150, maxDurationMs: 1000, errorEvery: 6, seed: 18);
        await scenario.PublishAsync(ids);
        Assert.True(
            await Eventually.WithinAsync(() => servers.ScalarAsync("SELECT COUNT(*) FROM tracked_requests").GetAwaiter().GetResult() == ids.Count, Patience),
            $"Not every command was stored.\n{first.Tail()}");

        // The broker goes away while the requests end: their events pile up in the outbox.
        servers.Broker.Cut();
        Assert.True(
            await Eventually.WithinAsync(() => servers.ScalarAsync("SELECT COUNT(*) FROM tracked_requests WHERE state = 'Tracking'").GetAwaiter().GetResult() == 0, TimeSpan.FromSeconds(60)),
            $"Requests were still tracking.\n{first.Tail()}");
        var received = scenario.Bus.Outcomes.Received.Count;
        servers.Broker.Restore();
        Assert.True(await Eventually.WithinAsync(() => scenario.Bus.Outcomes.Received.Count > received, TimeSpan.FromSeconds(60)), $"The drain never started.\n{first.Tail()}");
        await first.KillAsync();
        var unsentAtKill = await servers.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
        Assert.True(unsentAtKill > 0, "the outbox had drained before the kill: nothing was proved");

        await scenario.StartBridgeAsync("drain-after-kill");
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(90));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        output.WriteLine($"killed with {unsentAtKill} of {ids.Count} events unsent; all delivered after the restart; {duplicates} duplicates (same MessageId)");
    }

    [Fact]
    public async Task A_wrong_Bria_token_pauses_polling_fails_readiness_and_counts_in_a_metric_until_the_token_is_fixed()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 6000);
        var rightToken = scenario.Settings["Bria:ApiToken"];
        scenario.Settings["Bria:ApiToken"] = "not-the-token";
        scenario.Settings["Outages:CredentialProbeInterval"] = "00:00:01";
        var wrong = await scenario.StartBridgeAsync("wrong-token");
        var (ids, failing) = scenario.CreateJobs("token", 30, maxDurationMs: 500, errorEvery: 10, seed: 19);
        await scenario.PublishAsync(ids);

        var report = await Readiness.WaitForAsync(wrong.BaseUrl!, HttpStatusCode.ServiceUnavailable, Patience, "\"bria\":{\"status\":\"Unhealthy\"", "api_token");
        Assert.DoesNotContain("not-the-token", report, StringComparison.Ordinal);
        Assert.Equal(1, await PrometheusScrape.ValueAsync(wrong.BaseUrl!, "bria_statusbridge_outage_active", "dependency=\"bria_credentials\""));
        // Paused: one probe call a second while 30 requests are due, instead of polling each of them.
        var refusedBefore = scenario.Simulator.State.GetStats().Unauthorized;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var refused = scenario.Simulator.State.GetStats().Unauthorized - refusedBefore;
        Assert.True(refused <= 8, $"{refused} refused status calls in 5 s: polling did not pause");
        Assert.Equal(1, wrong.CountLines("Outage of bria_credentials began"));
        Assert.Empty(scenario.Answered());

        await wrong.StopAsync(Patience);
        scenario.Settings["Bria:ApiToken"] = rightToken;
        var fixedBridge = await scenario.StartBridgeAsync("right-token");
        await Readiness.WaitForAsync(fixedBridge.BaseUrl!, HttpStatusCode.OK, Patience, "\"bria\":{\"status\":\"Healthy\"");
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(60));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        output.WriteLine($"wrong token: {refused} refused calls in 5 s with {ids.Count} requests due; right token: all answered, {duplicates} duplicates");
    }

    [Fact]
    public async Task A_restarted_replica_takes_back_its_leases_at_once_and_a_live_namesake_runs_under_another_name()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 3000);
        scenario.Settings["Polling:ReplicaId"] = "replica-one";
        scenario.Settings["Polling:LeaseDuration"] = "00:02:00";
        scenario.Settings["Bria:RequestTimeout"] = "00:01:30";
        var first = await scenario.StartBridgeAsync("replica-before-kill");
        var (ids, failing) = scenario.CreateJobs("lease", 200, maxDurationMs: 6000, errorEvery: 8, seed: 20);
        await scenario.PublishAsync(ids);
        Assert.True(await Eventually.WithinAsync(() => scenario.Answered().Count >= ids.Count / 5, Patience), $"No outcomes before the kill.\n{first.Tail()}");

        // Bria stops answering for longer than the test takes to kill the replica, so that the polls in flight (and
        // their leases) only pile up until the kill. (With answers after 4 s, as before, a batch of answers could land
        // between the count and the kill and leave too few leases to prove anything.)
        scenario.Simulator.State.SetFaults(new FaultSettings { LatencyMs = 60_000 });
        const string HeldLeases = "SELECT COUNT(*) FROM tracked_requests WHERE state = 'Tracking' AND lease_owner = 'replica-one'";
        Assert.True(
            await Eventually.WithinAsync(() => StoreQueries.ScalarAsync(scenario.Provider, scenario.ConnectionString, HeldLeases).GetAwaiter().GetResult() >= 20, Patience),
            $"Too few leases held.\n{first.Tail()}");
        await first.KillAsync();
        scenario.Simulator.State.ClearFaults();
        var leased = await StoreQueries.ScalarAsync(scenario.Provider, scenario.ConnectionString, HeldLeases);
        Assert.True(leased >= 10, $"only {leased} leases held at the kill: nothing was proved");

        var restartedAt = TimeProvider.System.GetTimestamp();
        var second = await scenario.StartBridgeAsync("replica-after-kill");
        // Well under the 2 minute lease: only a replica that takes back its own leases gets there.
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(40));
        var resumedIn = TimeProvider.System.GetElapsedTime(restartedAt);
        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        Assert.Equal(1, second.CountLines("Replica replica-one took back"));

        // Two live holders of one name never share it: the second process runs under a suffixed name.
        var namesake = await scenario.StartBridgeAsync("replica-namesake");
        Assert.Equal(1, namesake.CountLines("Another live process runs as replica replica-one"));

        // A graceful stop hands every lease back.
        await namesake.StopAsync(Patience);
        await second.StopAsync(Patience);
        Assert.Equal(0, await StoreQueries.ScalarAsync(scenario.Provider, scenario.ConnectionString, "SELECT COUNT(*) FROM tracked_requests WHERE lease_owner IS NOT NULL"));
        output.WriteLine($"killed holding {leased} leases of a 2 min lease; the restart answered all {ids.Count} requests within {resumedIn.TotalSeconds:F1} s; {duplicates} duplicates");
    }

    [Fact]
    public async Task A_replica_whose_lock_session_drops_takes_the_lock_of_its_name_again_so_a_live_namesake_still_runs_under_another_name()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 3000);
        scenario.Settings["Polling:ReplicaId"] = "lock-one";
        scenario.Settings["Outages:StoreProbeInterval"] = "00:00:00.500";
        var holder = await scenario.StartBridgeAsync("lock-holder");
        const string NameLocks = "FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()";
        Assert.Equal(1, await scenario.ScalarAsync("SELECT COUNT(*) " + NameLocks));

        // The session holding the lock ends (as in a database restart or a cut connection) and the lock goes with it.
        Assert.Equal(1, await scenario.ScalarAsync($"SELECT COUNT(*) FROM (SELECT pg_terminate_backend(l.pid) {NameLocks}) AS ended"));
        await Eventually.HoldsAsync(
            () => holder.CountLines("Replica lock-one holds the lock of its name again") == 1,
            Patience,
            () => $"the replica never took the lock of its name again\n{holder.Tail()}");
        Assert.Equal(1, await scenario.ScalarAsync("SELECT COUNT(*) " + NameLocks));
        Assert.Equal(1, holder.CountLines("The session holding the lock of replica name lock-one dropped"));

        // So the name is still guarded: a second process configured with it runs under a suffixed name.
        var namesake = await scenario.StartBridgeAsync("lock-namesake");
        Assert.Equal(1, namesake.CountLines("Another live process runs as replica lock-one"));
    }

    [Fact]
    public async Task A_restarted_replica_takes_back_its_webhook_delivery_leases_at_once_and_a_graceful_stop_hands_them_back()
    {
        // A receiver that holds every webhook until the test opens its gate: the replica's attempts (and leases) hang.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async (_, _, context) =>
        {
            await Volatile.Read(ref gate).Task.WaitAsync(context.RequestAborted);
            return Results.Ok();
        });
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 3000);
        foreach (var (key, value) in WebhookDeliveryTests.WebhookSettings(WebhookSecret.Generate()))
        {
            scenario.Settings[key] = value;
        }

        scenario.Settings["Polling:ReplicaId"] = "webhook-one";
        // Two minutes of lease: only a replica that takes its leases back delivers within the test's patience.
        scenario.Settings["Webhooks:LeaseDuration"] = "00:02:00";
        scenario.Settings["Webhooks:Timeout"] = "00:01:00";
        scenario.Settings["Webhooks:MaxConcurrencyPerDestination"] = "4";
        var first = await scenario.StartBridgeAsync("webhooks-before-kill");
        await WebhookTestData.AddPartnerAsync(scenario.ConnectionString, "partner-hooks");
        await WebhookTestData.AddEndpointAsync(scenario.ConnectionString, "partner-hooks", "ep-hooks", receiver.Url("hooks"));
        var (ids, _) = scenario.CreateJobs("hook", 12, maxDurationMs: 500, errorEvery: 0, seed: 22);
        await PublishForPartnerAsync(scenario, ids);

        const string HeldLeases = "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Pending' AND lease_owner = 'webhook-one'";
        await Eventually.HoldsAsync(
            async () => await scenario.ScalarAsync(HeldLeases) == 4 && receiver.Received.Count >= 4,
            Patience,
            () => $"the replica never held four delivery leases against the slow receiver\n{first.Tail()}");
        await first.KillAsync();
        var leased = await scenario.ScalarAsync(HeldLeases);
        Volatile.Read(ref gate).TrySetResult();

        var restartedAt = TimeProvider.System.GetTimestamp();
        var second = await scenario.StartBridgeAsync("webhooks-after-kill");
        await Eventually.HoldsAsync(
            async () => await scenario.ScalarAsync("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Delivered'") == ids.Count,
            TimeSpan.FromSeconds(40),
            () => $"not every webhook was delivered well within the 2 min lease after the restart\n{second.Tail()}");
        var resumedIn = TimeProvider.System.GetElapsedTime(restartedAt);
        Assert.Equal(1, second.CountLines("Replica webhook-one took back .* and 4 webhook delivery leases"));
        // The killed replica's attempts reached the receiver unanswered; their second sending carries the same webhook-id.
        var byRequest = receiver.Received.GroupBy(RequestIdOf, StringComparer.Ordinal).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), byRequest.Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.All(byRequest, g => Assert.Single(g.Select(w => w.WebhookId).Distinct()));

        // A graceful stop (SIGTERM) with attempts hanging hands every delivery lease back before the process exits.
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref gate, closed);
        var (more, _) = scenario.CreateJobs("hook-more", 8, maxDurationMs: 500, errorEvery: 0, seed: 23);
        await PublishForPartnerAsync(scenario, more);
        await Eventually.HoldsAsync(
            async () => await scenario.ScalarAsync(HeldLeases) == 4,
            Patience,
            () => $"the restarted replica never held four delivery leases\n{second.Tail()}");
        await second.StopAsync(Patience);
        Assert.Equal(0, await scenario.ScalarAsync(HeldLeases));
        Assert.Equal(more.Count, await scenario.ScalarAsync("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Pending' AND lease_owner IS NULL"));
        Assert.Equal(1, second.CountLines("handed back 4 webhook delivery leases"));
        output.WriteLine($"killed holding {leased} webhook delivery leases of a 2 min lease against a receiver that did not answer; " +
            $"the restart delivered all {ids.Count} within {resumedIn.TotalSeconds:F1} s; a graceful stop handed back 4 of 4");
    }

    [Fact]
    public async Task A_storm_of_Bria_timeouts_logs_the_outage_once_and_ends_with_every_request_answered()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 6000);
        scenario.Settings["Bria:RequestTimeout"] = "00:00:01";
        var bridge = await scenario.StartBridgeAsync("timeouts");
        var (quick, failing) = scenario.CreateJobs("timeout", 40, maxDurationMs: 1000, errorEvery: 10, seed: 21);
        // A few long jobs keep polls going after the storm, so that Bria is seen answering again for a while.
        var slow = Enumerable.Range(0, 4).Select(i => $"timeout-slow-{i}").ToList();
        foreach (var id in slow)
        {
            scenario.Simulator.State.CreateJob(new JobSpec { RequestId = id, EndpointKind = JobKind.Image, DurationMs = 20_000, Outcome = JobOutcome.Completed });
        }

        var ids = quick.Concat(slow).ToList();
        scenario.Simulator.State.SetFaults(new FaultSettings { LatencyMs = 3000 });
        await scenario.PublishAsync(ids);

        Assert.True(
            await Eventually.WithinAsync(() => scenario.Simulator.State.GetStats().TotalStatusCalls >= 100, TimeSpan.FromSeconds(60)),
            $"Too few status calls.\n{bridge.Tail()}");
        var timedOut = await PrometheusScrape.ValueAsync(bridge.BaseUrl!, "bria_statusbridge_status_calls_total", "outcome=\"transient_no_response\"");
        scenario.Simulator.State.ClearFaults();
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(60));

        scenario.AssertOneOutcomeEach(ids, failing);
        Assert.True(timedOut >= 50, $"only {timedOut} status calls timed out");
        Assert.Equal(0, bridge.CountLines("Resilience event occurred"));
        Assert.Equal(1, bridge.CountLines("Outage of bria began"));
        Assert.Equal(1, bridge.CountLines("Outage of bria ended"));
        var errors = bridge.CountLines(ErrorLine);
        Assert.True(errors == 1, $"{errors} error lines for one Bria outage:\n{bridge.Tail()}");
        output.WriteLine($"{timedOut} timed-out status calls, {errors} error line, the outage logged once when it began and once when it ended");
    }

    private static string RequestIdOf(ReceivedWebhook webhook)
    {
        using var json = JsonDocument.Parse(webhook.Body);
        return json.RootElement.GetProperty("data").GetProperty("request_id").GetString()!;
    }

    private static async Task PublishForPartnerAsync(BridgeScenario scenario, IEnumerable<string> requestIds) =>
        await Task.WhenAll(requestIds.Select(id => scenario.Bus.Bus.Publish(
            new TrackRequest { RequestId = id, CorrelationId = "c-" + id, EndpointKind = EndpointKind.Image, PartnerId = "partner-hooks" })));

    private static async Task<HttpStatusCode> StatusOfAsync(Uri baseUrl, string path)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<uint> QueueDepthAsync(Uri virtualHost)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = virtualHost, AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclarePassiveAsync(RawCommandChannel.QueueName);
        return queue.MessageCount;
    }
}
