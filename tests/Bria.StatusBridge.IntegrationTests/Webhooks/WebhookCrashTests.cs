using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Webhooks;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Bria.StatusBridge.IntegrationTests.Webhooks;

/// <summary>Durability: the bridge process is killed (SIGKILL) in the middle of a burst of webhook deliveries and
/// started again; every message still arrives, and duplicates carry the same webhook-id.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class WebhookCrashTests(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int Requests = 100;
    private const int Endpoints = 5;

    [Fact]
    public async Task Killing_the_bridge_during_a_burst_of_500_deliveries_loses_none_and_duplicates_share_their_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (_, _, context) =>
        {
            // Slow enough that the burst is still going when the bridge is killed.
            await Task.Delay(100, context.RequestAborted);
            return Results.Ok();
        });
        await using var simulator = await SimulatorHost.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        var vhost = await rabbit.CreateVirtualHostAsync();
        var settings = BridgeHost.ServerSettings(simulator, database, vhost);
        foreach (var (key, value) in WebhookDeliveryTests.WebhookSettings(WebhookSecret.Generate()))
        {
            settings[key] = value;
        }

        settings["Webhooks:MaxConcurrencyPerDestination"] = "4";

        var clock = Stopwatch.StartNew();
        var first = await BridgeProcess.StartAsync("webhook-crash", settings);
        output.WriteLine($"first bridge answering after {clock.ElapsedMilliseconds} ms");
        await WebhookTestData.AddPartnerAsync(database, "partner-burst");
        for (var e = 0; e < Endpoints; e++)
        {
            await WebhookTestData.AddEndpointAsync(database, "partner-burst", $"ep-{e}", receiver.Url($"e{e}"));
        }

        var ids = Enumerable.Range(0, Requests).Select(i => $"burst-{i:D3}").ToList();
        foreach (var id in ids)
        {
            simulator.State.CreateJob(new JobSpec { RequestId = id, DurationMs = 100 });
        }

        var producer = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(vhost));
        await producer.StartAsync();
        try
        {
            await Task.WhenAll(ids.Select(id => producer.Publish(new TrackRequest { RequestId = id, PartnerId = "partner-burst" })));
        }
        finally
        {
            await producer.StopAsync();
        }

        await Eventually.HoldsAsync(() => receiver.Received.Count >= 150, TimeSpan.FromSeconds(60), () => $"only {receiver.Received.Count} webhooks before the kill");
        var killedAfter = receiver.Received.Count;
        await first.KillAsync();
        var killedAt = clock.Elapsed;
        output.WriteLine($"killed the bridge after {killedAfter} webhooks at {killedAt.TotalMilliseconds:0} ms");

        await using var second = await BridgeProcess.StartAsync("webhook-crash", settings);
        output.WriteLine($"second bridge answering after {(clock.Elapsed - killedAt).TotalMilliseconds:0} ms");
        var expected = ids.SelectMany(id => Enumerable.Range(0, Endpoints).Select(e => ($"/e{e}", id))).ToHashSet();
        var arrivals = new ConcurrentDictionary<(string Path, string RequestId), ConcurrentBag<string>>();
        await Eventually.HoldsAsync(
            () =>
            {
                Index(receiver, arrivals);
                return expected.All(arrivals.ContainsKey);
            },
            TimeSpan.FromSeconds(90),
            () => $"{expected.Count(k => !arrivals.ContainsKey(k))} of {expected.Count} messages never arrived; bridge output:\n{second.Tail()}");
        var allArrived = clock.Elapsed;

        Index(receiver, arrivals);
        var total = receiver.Received.Count;
        var duplicates = total - expected.Count;
        output.WriteLine($"all {expected.Count} messages arrived {(allArrived - killedAt).TotalMilliseconds:0} ms after the kill; {total} requests in all, {duplicates} duplicates");
        Assert.Equal(expected.Count, arrivals.Count);
        Assert.All(arrivals, pair => Assert.Single(pair.Value.Distinct()));
        Assert.Equal(expected.Count, arrivals.Values.Select(v => v.First()).Distinct().Count());
        await Eventually.HoldsAsync(
            async () => await WebhookTestData.ScalarAsync<long>(database, "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Delivered'") == expected.Count,
            TimeSpan.FromSeconds(30),
            () => "not every delivery is marked delivered");
    }

    private static void Index(WebhookReceiver receiver, ConcurrentDictionary<(string Path, string RequestId), ConcurrentBag<string>> arrivals)
    {
        arrivals.Clear();
        foreach (var webhook in receiver.Received)
        {
            using var json = JsonDocument.Parse(webhook.Body);
            var requestId = json.RootElement.GetProperty("data").GetProperty("request_id").GetString()!;
            arrivals.GetOrAdd((webhook.Path, requestId), _ => []).Add(webhook.WebhookId);
        }
    }
}
