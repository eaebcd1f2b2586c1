using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bria.StatusBridge.IntegrationTests.Polling;

/// <summary>Learned schedules on the real servers: two replicas on one PostgreSQL database and one RabbitMQ virtual
/// host learn one estimate together, and a replica started after both stopped polls by it from the start.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class LearnedScheduleTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string AdminKey = "test-operator-key-learned-0123456789";
    private const int Jobs = 30;

    [Fact]
    public async Task Two_replicas_learn_one_estimate_that_a_restarted_replica_polls_by()
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        var virtualHost = await rabbit.CreateVirtualHostAsync();
        Dictionary<string, string?> Settings(string replica)
        {
            var settings = BridgeHost.ServerSettings(simulator, database, virtualHost);
            settings["Polling:ReplicaId"] = replica;
            settings["Polling:Image:Mode"] = "Learned";
            settings["Polling:Learning:MinJobs"] = "10";
            settings["Polling:Learning:MinInterval"] = "00:00:00.100";
            settings["Polling:Learning:RefreshInterval"] = "00:00:00.100";
            settings["Admin:ApiKey"] = AdminKey;
            return settings;
        }

        // Jobs of 3-4 s: long enough that a consumer's lag under load does not blur them much.
        var ids = Enumerable.Range(0, Jobs).Select(i => $"learn-{i}").ToList();
        await using var a = await BridgeHost.StartAsync(Settings("replica-a"));
        await using var b = await BridgeHost.StartAsync(Settings("replica-b"));

        // The outcome collector's scope: it ends before the replicas stop.
        {
            await using var collector = await OutcomeCollector.ConnectAsync(a.Bus);
            for (var i = 0; i < Jobs; i++)
            {
                simulator.State.CreateJob(new JobSpec { RequestId = ids[i], DurationMs = 3000 + (i * 1000 / Jobs) });
                await a.Bus.Publish(new TrackRequest { RequestId = ids[i], CorrelationId = $"c-{i}" });
            }

            await collector.WaitForAllAsync(ids, TimeSpan.FromSeconds(90));
            var stats = simulator.State.GetStats();
            var callers = ids.SelectMany(id => stats.Requests[id].Callers).Distinct().ToList();
            Assert.True(callers.Count == 2, $"both replicas should poll; callers: {string.Join(", ", callers)}");

            // Each replica wrote what it observed; each reads the other's too.
            await Eventually.HoldsAsync(
                () => Seen(a) == Jobs && Seen(b) == Jobs,
                TimeSpan.FromSeconds(30),
                () => $"replica a sees {Seen(a)} jobs, replica b {Seen(b)}, of {Jobs}");
            var learned = Learning(b).For(EndpointKind.Image);
            Assert.InRange(learned.Quantile(0.5), 2.0, 4.5);

            // The operator sees the same estimate through either replica.
            using var client = new HttpClient { BaseAddress = a.BaseUrl };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            var listed = (await client.GetFromJsonAsync<JsonObject>("/v1/admin/poll-schedules"))!["data"]!.AsArray();
            var image = listed.Single(s => (string)s!["endpoint_kind"]! == "image")!;
            Assert.Equal("learned", (string)image["mode"]!);
            Assert.True((bool)image["learned"]!);
            Assert.Equal(Jobs, (long)image["observed_jobs"]!);
            Assert.InRange((double)image["durations"]!["p50"]!, 2.0, 4.5);
            Assert.NotEmpty(image["histogram"]!.AsArray());
            var window = image["polling_window"]!;
            // 0.01 while the budget is spare, up to 0.03 while it holds polls back (a burst of first polls may have).
            Assert.InRange((double)window["left_out_share"]!, 0.01, 0.03);
            Assert.InRange((double)window["from_seconds"]!, 1.0, (double)image["durations"]!["p50"]!);
            Assert.True((double)window["to_seconds"]! > (double)image["durations"]!["p50"]!, $"window {window.ToJsonString()}");
            // A few jobs at once leave the budget spare: looks are planned a minimum interval apart.
            Assert.Equal((double)image["min_interval_seconds"]!, (double)image["planned_interval_seconds"]!);
            // No look can come earlier than planned at the minimum interval: no call went to early looks.
            Assert.Equal(0, (double)image["early_share"]!);
            Assert.True((double)image["lag_target_seconds"]! >= (double)image["planned_interval_seconds"]!, image.ToJsonString());
            var video = listed.Single(s => (string)s!["endpoint_kind"]! == "video")!;
            Assert.False((bool)video["learned"]!);
            Assert.Null(video["polling_window"]);
            Assert.Equal(0, (long)video["observed_jobs"]!);
        }

        await a.StopAsync();
        await b.StopAsync();

        // Both replicas stopped; a new one reads the estimate and, before a single job of its own, polls by it.
        await using var restarted = await BridgeHost.StartAsync(Settings("replica-c"));
        await Eventually.HoldsAsync(() => Seen(restarted) == Jobs, TimeSpan.FromSeconds(30), () => $"the restarted replica sees {Seen(restarted)} jobs");
        Assert.True(restarted.Services.GetRequiredService<LearnedPollSchedule>().Active(EndpointKind.Image));

        simulator.State.CreateJob(new JobSpec { RequestId = "after-restart", DurationMs = 3500 });
        await restarted.Bus.Publish(new TrackRequest { RequestId = "after-restart", CorrelationId = "c-after" });
        var firstDelay = await FirstPollDelayAsync(database, "after-restart");
        // The fixed schedule would poll after 0.2 s; no learned job ended before about 2 s.
        Assert.True(firstDelay >= TimeSpan.FromSeconds(1.5), $"the first poll was planned {firstDelay} after tracking");
    }

    private static DurationLearning Learning(BridgeHost host) => host.Services.GetRequiredService<DurationLearning>();

    private static long Seen(BridgeHost host) => Learning(host).For(EndpointKind.Image).Observations;

    private static async Task<TimeSpan> FirstPollDelayAsync(string database, string requestId)
    {
        TimeSpan? delay = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var connection = new NpgsqlConnection(database);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT next_poll_at - created_at FROM tracked_requests WHERE request_id = @id", connection);
                command.Parameters.AddWithValue("id", requestId);
                if (await command.ExecuteScalarAsync() is long milliseconds)
                {
                    delay = TimeSpan.FromMilliseconds(milliseconds);
                }

                return delay is not null;
            },
            TimeSpan.FromSeconds(30),
            () => $"{requestId} was not tracked");
        return delay!.Value;
    }
}
