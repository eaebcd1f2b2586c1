using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>The shared plumbing of the acceptance scenarios: each test class gets its own
/// <see cref="BridgeEnvironment"/>, each test its own request ids.</summary>
public abstract class BridgeScenarioTests(RabbitMqFixture rabbit, BridgeEnvironment environment) : IAsyncLifetime
{
    /// <summary>The longest any one outcome may take in these scenarios.</summary>
    protected static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    protected BridgeEnvironment Env { get; } = environment;

    public Task InitializeAsync() => Env.StartAsync(rabbit);

    public Task DisposeAsync() => Task.CompletedTask;

    protected static DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    protected static string NewRequestId(string label) => $"{label}-{Guid.NewGuid():N}";

    /// <summary>A command with a correlation id and metadata of its own.</summary>
    protected static TrackRequest Command(string requestId, EndpointKind kind = EndpointKind.Image, string subscriber = "a") => new()
    {
        RequestId = requestId,
        CorrelationId = $"corr-{subscriber}-{Guid.NewGuid():N}",
        EndpointKind = kind,
        Metadata = new Dictionary<string, string>
        {
            ["subscriber"] = subscriber,
            ["order"] = $"order-{requestId}",
            ["note"] = "ünïcødé ✓ & <xml>",
            ["OrderId"] = "Keys keep their case",
            ["trace_parent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        },
    };

    protected Task TrackAsync(TrackRequest command) => Env.Services.Publish(command);

    protected JobInfo CreateJob(string requestId, JobOutcome outcome, long durationMs = 300, JobKind kind = JobKind.Image) =>
        Env.Simulator.State.CreateJob(new JobSpec { RequestId = requestId, EndpointKind = kind, DurationMs = durationMs, Outcome = outcome });

    protected async Task<RequestCompleted> CompletedAsync(string requestId)
    {
        var outcome = Assert.Single(await Env.Outcomes.WaitForAsync(requestId, 1, EventTimeout));
        Assert.True(outcome.Completed is not null, $"{requestId} failed instead of completing: {outcome.Failed}");
        return outcome.Completed;
    }

    protected async Task<RequestFailed> FailedAsync(string requestId)
    {
        var outcome = Assert.Single(await Env.Outcomes.WaitForAsync(requestId, 1, EventTimeout));
        Assert.True(outcome.Failed is not null, $"{requestId} completed instead of failing: {outcome.Completed}");
        return outcome.Failed;
    }

    /// <summary>The event names the request and echoes the subscriber's own fields.</summary>
    protected static void AssertEchoes(TrackRequest command, string requestId, string? correlationId, string? partnerId, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(command);
        Assert.Equal(command.RequestId, requestId);
        Assert.Equal(command.CorrelationId, correlationId);
        Assert.Equal(command.PartnerId, partnerId);
        Assert.Equal(command.Metadata ?? new Dictionary<string, string>(), metadata);
    }

    /// <summary>The bridge finished no earlier than <paramref name="earliestFinish"/> and noticed no earlier than it
    /// finished, both while the test ran. The store keeps milliseconds, hence the 1 ms allowance.</summary>
    protected static void AssertTimes(DateTimeOffset finishedAt, DateTimeOffset noticedAt, DateTimeOffset earliestFinish, DateTimeOffset trackedAt)
    {
        var millisecond = TimeSpan.FromMilliseconds(1);
        Assert.True(finishedAt >= earliestFinish - millisecond, $"FinishedAt {finishedAt:O} is before {earliestFinish:O}.");
        Assert.True(finishedAt >= trackedAt - millisecond, $"FinishedAt {finishedAt:O} is before the command was sent at {trackedAt:O}.");
        Assert.True(finishedAt <= noticedAt, $"FinishedAt {finishedAt:O} is after NoticedAt {noticedAt:O}.");
        Assert.True(noticedAt <= Now(), $"NoticedAt {noticedAt:O} is in the future.");
        Assert.Equal(TimeSpan.Zero, finishedAt.Offset);
    }

    /// <summary>Status calls the simulator served for <paramref name="requestId"/>.</summary>
    protected int StatusCalls(string requestId) =>
        Env.Simulator.State.GetStats().Requests.TryGetValue(requestId, out var stats) ? stats.Count : 0;
}
