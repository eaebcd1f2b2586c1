using System.Globalization;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Microsoft.Data.Sqlite;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>One run against real servers: the simulator in this process, a fresh RabbitMQ virtual host, a fresh store
/// (a PostgreSQL database or a SQLite file), the test's own bus, and bridge processes started on demand.</summary>
public sealed class BridgeScenario : IAsyncDisposable
{
    private readonly List<BridgeProcess> _bridges = [];
    private readonly string? _sqliteFile;

    private BridgeScenario(SimulatorHost simulator, TestBus bus, Dictionary<string, string?> settings, string? sqliteFile)
    {
        Simulator = simulator;
        Bus = bus;
        Settings = settings;
        _sqliteFile = sqliteFile;
    }

    /// <summary>The simulated Bria, with its call log.</summary>
    public SimulatorHost Simulator { get; }

    /// <summary>The test's bus: publishes commands, collects outcomes.</summary>
    public TestBus Bus { get; }

    /// <summary>The configuration every bridge of this scenario starts with.</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <summary><c>Postgres</c> or <c>Sqlite</c>.</summary>
    public string Provider => Settings["Persistence:Provider"]!;

    /// <summary>The store's connection string, for reading it directly.</summary>
    public string ConnectionString => Settings["ConnectionStrings:StatusBridge"]!;

    /// <summary>A number read from this scenario's store.</summary>
    public Task<long> ScalarAsync(string sql) => StoreQueries.ScalarAsync(Provider, ConnectionString, sql);

    /// <summary>Every bridge process started so far, killed ones included.</summary>
    public IReadOnlyList<BridgeProcess> Bridges => _bridges;

    /// <summary>Prepares the servers; image requests follow <paramref name="image"/>, all calls share
    /// <paramref name="requestsPerMinute"/>. With no <paramref name="postgres"/>, the store is a temporary SQLite file.</summary>
    public static async Task<BridgeScenario> CreateAsync(
        RabbitMqFixture rabbit,
        PostgresFixture? postgres,
        KindSchedule image,
        int requestsPerMinute,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        return await CreateAsync(await rabbit.CreateVirtualHostAsync(cancellationToken), postgres, image, requestsPerMinute, cancellationToken);
    }

    /// <summary>As above, on a virtual host the caller provides (the amqp URI of a private node's, for example).</summary>
    public static async Task<BridgeScenario> CreateAsync(
        Uri virtualHost,
        PostgresFixture? postgres,
        KindSchedule image,
        int requestsPerMinute,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(virtualHost);
        ArgumentNullException.ThrowIfNull(image);
        var simulator = await SimulatorHost.StartAsync(options => options.StatusLatency = TimeSpan.FromMilliseconds(5), cancellationToken);
        try
        {
            var settings = BridgeHost.FastSettings(simulator.BaseUrl, simulator.ApiToken);
            string? sqliteFile = null;
            if (postgres is null)
            {
                sqliteFile = Path.Combine(Path.GetTempPath(), $"statusbridge-{Guid.NewGuid():N}.db");
                settings["Persistence:Provider"] = "Sqlite";
                settings["ConnectionStrings:StatusBridge"] = $"Data Source={sqliteFile}";
            }
            else
            {
                settings["Persistence:Provider"] = "Postgres";
                settings["ConnectionStrings:StatusBridge"] = await postgres.CreateDatabaseAsync(cancellationToken);
            }

            settings["Bus:Transport"] = "RabbitMq";
            settings["ConnectionStrings:RabbitMq"] = virtualHost.ToString();
            settings["Polling:RequestsPerMinute"] = requestsPerMinute.ToString(CultureInfo.InvariantCulture);
            settings["Polling:Image:Mode"] = image.Mode.ToString();
            settings["Polling:Image:FirstDelay"] = image.FirstDelay.ToString("c", CultureInfo.InvariantCulture);
            settings["Polling:Image:Interval"] = image.Interval.ToString("c", CultureInfo.InvariantCulture);
            settings["Polling:Image:Growth"] = image.Growth.ToString(CultureInfo.InvariantCulture);
            settings["Polling:Image:Ceiling"] = image.Ceiling.ToString("c", CultureInfo.InvariantCulture);
            settings["Polling:Image:Jitter"] = image.Jitter.ToString(CultureInfo.InvariantCulture);
            // The simulator's first request JITs its pipeline; calls queued behind it would be stamped late and
            // look bunched. One call ahead of the run, then a clean log.
            using (var client = simulator.CreateClient())
            {
                using var warmUp = await client.GetAsync(new Uri("v2/status/warm-up", UriKind.Relative), cancellationToken);
            }

            simulator.State.ResetStats();
            var bus = await TestBus.StartAsync(virtualHost, cancellationToken);
            return new BridgeScenario(simulator, bus, settings, sqliteFile);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more bridge process on this scenario's store and virtual host.</summary>
    public async Task<BridgeProcess> StartBridgeAsync(string name, CancellationToken cancellationToken = default)
    {
        var bridge = await BridgeProcess.StartAsync(name, Settings, cancellationToken);
        _bridges.Add(bridge);
        return bridge;
    }

    /// <summary>Tracks one request that is already done and waits for its event, then clears the simulator's log: the
    /// bridge's first status call pays for JIT and the first connection (a few hundred ms between taking the budget's
    /// token and the call reaching Bria), which is start-up cost, not the steady state the budget checks measure.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        var id = $"warm-up-{Guid.NewGuid():N}";
        Simulator.State.CreateJob(new JobSpec { RequestId = id, EndpointKind = JobKind.Image, DurationMs = 0, Outcome = JobOutcome.Completed });
        await PublishAsync([id], cancellationToken);
        Assert.True(await Eventually.WithinAsync(() => Answered().Contains(id), TimeSpan.FromSeconds(30), cancellationToken), $"The warm-up request got no outcome.\n{Diagnostics()}");
        Simulator.State.ResetStats();
    }

    /// <summary>Scripts <paramref name="count"/> image jobs lasting up to <paramref name="maxDurationMs"/> (seeded draws);
    /// every <paramref name="errorEvery"/>-th ends in ERROR. Returns the ids, and which of them fail.</summary>
    public (IReadOnlyList<string> Ids, IReadOnlySet<string> Failing) CreateJobs(string prefix, int count, int maxDurationMs, int errorEvery, int seed)
    {
        var random = new Random(seed);
        var ids = new List<string>(count);
        var failing = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}-{i:D4}";
            var fails = errorEvery > 0 && i % errorEvery == 0;
            Simulator.State.CreateJob(new JobSpec
            {
                RequestId = id,
                EndpointKind = JobKind.Image,
                DurationMs = random.Next(0, maxDurationMs + 1),
                Outcome = fails ? JobOutcome.Error : JobOutcome.Completed,
            });
            ids.Add(id);
            if (fails)
            {
                failing.Add(id);
            }
        }

        return (ids, failing);
    }

    /// <summary>Publishes one <see cref="TrackRequest"/> per id, as producers would, a hundred at a time.</summary>
    public async Task PublishAsync(IEnumerable<string> requestIds, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in requestIds.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(id => Bus.Bus.Publish(
                new TrackRequest { RequestId = id, CorrelationId = "c-" + id, EndpointKind = EndpointKind.Image },
                cancellationToken)));
        }
    }

    /// <summary>Ids with at least one outcome so far.</summary>
    public IReadOnlySet<string> Answered() => Bus.Outcomes.Received.Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);

    /// <summary>Waits until every id has an outcome, then until the outbox is empty and nothing more arrived for a
    /// moment (so late duplicates are seen too). Fails with the bridges' output when time runs out.</summary>
    public async Task WaitForAllOutcomesAsync(IReadOnlyCollection<string> requestIds, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(requestIds);
        var all = await Eventually.WithinAsync(() => requestIds.All(Answered().Contains), timeout);
        if (!all)
        {
            var answered = Answered();
            var missing = requestIds.Where(id => !answered.Contains(id)).ToList();
            Assert.Fail($"{missing.Count} of {requestIds.Count} requests got no outcome within {timeout}: " +
                $"{string.Join(", ", missing.Take(10))}\n{Diagnostics()}");
        }

        var unsent = await Eventually.ReadAsync(
            () => StoreQueries.ScalarAsync(Provider, ConnectionString, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"),
            count => count == 0,
            TimeSpan.FromSeconds(30));
        Assert.True(unsent == 0, $"{unsent} outcome events were still unsent.\n{Diagnostics()}");

        // Half a second without a new delivery: whatever the broker still held has arrived.
        var seen = -1;
        var changedAt = TimeProvider.System.GetTimestamp();
        await Eventually.WithinAsync(
            () =>
            {
                var count = Bus.Outcomes.Received.Count;
                if (count != seen)
                {
                    seen = count;
                    changedAt = TimeProvider.System.GetTimestamp();
                }

                return TimeProvider.System.GetElapsedTime(changedAt) >= TimeSpan.FromMilliseconds(500);
            },
            TimeSpan.FromSeconds(10));
    }

    /// <summary>Asserts that every id got an outcome of the expected kind, and that all copies of one request's event
    /// carry the same MessageId. Returns how many extra copies (duplicates) arrived.</summary>
    public int AssertOneOutcomeEach(IReadOnlyCollection<string> requestIds, IReadOnlySet<string> failing)
    {
        ArgumentNullException.ThrowIfNull(requestIds);
        ArgumentNullException.ThrowIfNull(failing);
        var byRequest = Bus.Outcomes.Received.ToLookup(r => r.RequestId, StringComparer.Ordinal);
        var problems = new List<string>();
        var duplicates = 0;
        foreach (var id in requestIds)
        {
            var outcomes = byRequest[id].ToList();
            if (outcomes.Count == 0)
            {
                problems.Add($"{id}: no outcome");
                continue;
            }

            duplicates += outcomes.Count - 1;
            var messageIds = outcomes.Select(o => o.MessageId).Distinct().ToList();
            if (messageIds.Count != 1 || messageIds[0] is null)
            {
                problems.Add($"{id}: {outcomes.Count} outcomes with MessageIds {string.Join(", ", messageIds)}");
            }

            var expectFailure = failing.Contains(id);
            if (outcomes.Any(o => expectFailure ? o.Failed?.Reason != FailureReason.Error : o.Completed is null))
            {
                problems.Add($"{id}: expected {(expectFailure ? "RequestFailed (Error)" : "RequestCompleted")}, got " +
                    string.Join(", ", outcomes.Select(o => o.Completed is not null ? "RequestCompleted" : $"RequestFailed ({o.Failed?.Reason})")));
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} requests broke the outcome rules:\n{string.Join('\n', problems.Take(20))}");
        return duplicates;
    }

    /// <summary>The tail of every bridge's output, for failure messages.</summary>
    public string Diagnostics() => string.Join('\n', _bridges.Select(b => b.Tail()));

    public async ValueTask DisposeAsync()
    {
        foreach (var bridge in _bridges)
        {
            await bridge.DisposeAsync();
        }

        await Bus.DisposeAsync();
        await Simulator.DisposeAsync();
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_sqliteFile)!, Path.GetFileName(_sqliteFile) + "*"))
            {
                File.Delete(file);
            }
        }
    }
}
