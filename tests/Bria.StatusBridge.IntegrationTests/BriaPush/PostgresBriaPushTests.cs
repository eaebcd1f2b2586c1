using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.BriaPush;

/// <summary>Bria's pushes on RabbitMQ and PostgreSQL, where replicas share the store: any replica takes any webhook.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PostgresBriaPushTests(RabbitMqFixture rabbit, BriaPushPostgresEnvironment environment)
    : BriaPushTests(rabbit, environment), IClassFixture<BriaPushPostgresEnvironment>
{
    [Fact]
    public async Task Two_replicas_take_webhooks_for_each_others_requests_and_end_each_once()
    {
        await using var second = await BridgeHost.StartAsync(Env.Settings.ToDictionary());
        using var client = new HttpClient();
        var tracked = Enumerable.Range(0, 6).Select(i => NewRequestId($"replicas-{i}")).ToList();
        var early = Enumerable.Range(0, 4).Select(i => NewRequestId($"replicas-early-{i}")).ToList();
        foreach (var id in tracked)
        {
            CreateJob(id, Simulator.Jobs.JobOutcome.Completed, durationMs: 600_000);
            await TrackedAsync(Command(id) with { BriaPushes = true });
        }

        // Early ones arrive at the second replica; the commands are consumed by whichever replica RabbitMQ picks.
        foreach (var id in early)
        {
            Assert.Equal("kept_early", await PostAsync(client, BriaWebhookPost.Completed(id), id, second.BaseUrl));
        }

        // Every tracked one is posted to both replicas at once, as a Bria retry racing its first attempt would be.
        var answers = await Task.WhenAll(tracked.Select(async id => await Task.WhenAll(
            PostAsync(client, BriaWebhookPost.Completed(id), id, Env.Bridge.BaseUrl),
            PostAsync(client, BriaWebhookPost.Completed(id), id, second.BaseUrl))));
        foreach (var id in early)
        {
            await TrackAsync(Command(id) with { BriaPushes = true });
        }

        Assert.All(answers, pair => Assert.Equal(["already_ended", "ended"], pair.Order(StringComparer.Ordinal)));
        await Env.Outcomes.WaitForAllAsync([.. tracked, .. early], EventTimeout);
        await Eventually.HoldsAsync(
            async () => await StoreQueries.ScalarAsync(Provider, ConnectionString, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == 0,
            TimeSpan.FromSeconds(15),
            () => "The outbox did not drain.");
        Assert.All(tracked.Concat(early), id =>
        {
            Assert.Single(Env.Outcomes.For(id));
            Assert.Equal(0, StatusCalls(id));
        });
    }
}
