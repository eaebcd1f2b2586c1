using System.Diagnostics.Metrics;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Polling.Learning;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.IntegrationTests.Polling;

/// <summary>The learned durations' table (migration 0011) on both stores: replicas merging at the same time lose no
/// observation, and a new instance reads what the others wrote.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class DurationEstimateStoreTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private const double NoDecay = 1.0;

    [Theory]
    [InlineData(StoreProvider.Postgres)]
    [InlineData(StoreProvider.Sqlite)]
    public async Task Replicas_merging_at_once_lose_no_observation_and_a_new_instance_reads_them(StoreProvider provider)
    {
        await WithStoreAsync(provider, async connectionString =>
        {
            // Two replicas, each with its own connections, fold 20 batches of 10 image jobs in at the same time.
            var replicas = new[] { Connect(provider, connectionString), Connect(provider, connectionString) };
            try
            {
                await Task.WhenAll(replicas.Select((connections, replica) => Task.Run(async () =>
                {
                    var store = new DurationEstimateStore(connections);
                    for (var batch = 0; batch < 20; batch++)
                    {
                        var duration = replica == 0 ? 4.0 : 8.0;
                        var observations = Enumerable.Range(0, 10).Select(_ => new DurationObservation(EndpointKind.Image, duration - 0.5, duration)).ToList();
                        await store.MergeAsync(observations, NoDecay, Now.AddSeconds(batch), CancellationToken.None);
                    }
                })));
            }
            finally
            {
                foreach (var replica in replicas)
                {
                    await replica.DisposeAsync();
                }
            }

            await using var restarted = Connect(provider, connectionString);
            var estimate = Assert.Single(await new DurationEstimateStore(restarted).ReadAsync(CancellationToken.None));
            Assert.Equal(EndpointKind.Image, estimate.Kind);
            Assert.Equal(400, estimate.Histogram.Observations);
            Assert.Equal(400, estimate.Histogram.Total, 1);
            // Half the jobs took about 4 s (replica 0's), half about 8 s (replica 1's).
            Assert.InRange(estimate.Histogram.Cdf(5), 0.49, 0.51);
            Assert.InRange(estimate.Histogram.Quantile(0.9), 7.3, 8.1);
        });
    }

    [Theory]
    [InlineData(StoreProvider.Postgres)]
    [InlineData(StoreProvider.Sqlite)]
    public async Task Kinds_keep_their_own_estimates_and_older_jobs_weigh_less(StoreProvider provider)
    {
        await WithStoreAsync(provider, async connectionString =>
        {
            await using var connections = Connect(provider, connectionString);
            var store = new DurationEstimateStore(connections);
            var decay = Math.Pow(0.5, 1.0 / 10);
            await store.MergeAsync([.. Enumerable.Range(0, 10).Select(_ => new DurationObservation(EndpointKind.Image, 2, 2))], decay, Now, CancellationToken.None);
            await store.MergeAsync([.. Enumerable.Range(0, 10).Select(_ => new DurationObservation(EndpointKind.Image, 6, 6))], decay, Now.AddSeconds(1), CancellationToken.None);
            var estimates = await store.MergeAsync([new DurationObservation(EndpointKind.Video, 60, 90)], decay, Now.AddSeconds(2), CancellationToken.None);

            Assert.Equal([EndpointKind.Image, EndpointKind.Video], estimates.Select(e => e.Kind).Order());
            var image = estimates.Single(e => e.Kind == EndpointKind.Image);
            Assert.Equal(20, image.Histogram.Observations);
            Assert.Equal(Now.AddSeconds(1), image.UpdatedAt);
            // The first ten weigh half as much as the last ten: a third of the weight.
            Assert.InRange(image.Histogram.Cdf(3), 0.3, 0.37);
            var video = estimates.Single(e => e.Kind == EndpointKind.Video);
            Assert.Equal(1, video.Histogram.Observations);
            Assert.InRange(video.Histogram.Quantile(0.5), 70, 80);
        });
    }

    [Theory]
    [InlineData(StoreProvider.Postgres)]
    [InlineData(StoreProvider.Sqlite)]
    public async Task A_replica_stopping_writes_the_durations_it_observed_since_its_last_step(StoreProvider provider)
    {
        await WithStoreAsync(provider, async connectionString =>
        {
            await using var connections = Connect(provider, connectionString);
            var store = new DurationEstimateStore(connections);
            var learning = new DurationLearning();
            var options = MsOptions.Create(new PollingOptions());
            var pace = new PollPace(options.Value.Learning.MinInterval, options.Value.BudgetWindow);
            using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var metrics = new PollLearningMetrics(meters.GetRequiredService<IMeterFactory>(), learning, new LearnedPollSchedule(options, learning, pace), pace);
            var loop = new DurationLearningLoop(learning, store, metrics, options, new FakeTimeProvider(Now), NullLogger<DurationLearningLoop>.Instance);
            await loop.RunOnceAsync(CancellationToken.None);

            // Jobs that ended after the loop's last step, before the replica was told to stop.
            learning.Observe(EndpointKind.Video, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
            learning.Observe(EndpointKind.Video, TimeSpan.FromSeconds(70), TimeSpan.FromSeconds(70));
            await loop.StoppedAsync(CancellationToken.None);

            Assert.Equal(0, learning.Pending);
            var video = Assert.Single(await store.ReadAsync(CancellationToken.None));
            Assert.Equal(EndpointKind.Video, video.Kind);
            Assert.Equal(2, video.Histogram.Observations);
            Assert.InRange(video.Histogram.Quantile(0.75), 65, 75);
        });
    }

    private static DbConnectionFactory Connect(StoreProvider provider, string connectionString) =>
        new(MsOptions.Create(new PersistenceOptions { Provider = provider, ConnectionString = connectionString }));

    private async Task WithStoreAsync(StoreProvider provider, Func<string, Task> test)
    {
        var file = Path.Combine(Path.GetTempPath(), $"statusbridge-durations-{Guid.NewGuid():N}.db");
        var connectionString = provider == StoreProvider.Postgres ? await postgres.CreateDatabaseAsync() : $"Data Source={file}";
        try
        {
            await using (var connections = Connect(provider, connectionString))
            {
                await new MigrationRunner(connections, new FakeTimeProvider(Now), NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
            }

            await test(connectionString);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var leftover in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*"))
            {
                File.Delete(leftover);
            }
        }
    }
}
