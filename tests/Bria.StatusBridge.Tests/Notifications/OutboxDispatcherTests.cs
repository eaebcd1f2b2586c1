using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tests.Fakes;
using Bria.StatusBridge.Tracking;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.Notifications;

/// <summary>The one dispatcher of the one outbox, on MassTransit's in-memory test harness and a fake clock.</summary>
public sealed class OutboxDispatcherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeOutboxStore _outbox = new();
    private readonly NotificationOptions _options = new();
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task Outcome_and_operator_events_leave_with_their_derived_MessageIds_and_are_marked_sent()
    {
        var outcomeId = OutboxMessageId.For("r-1", "s-1");
        var operatorId = DeterministicId.Create("endpoint-disabled", "ep-1", "1");
        var disabled = new WebhookEndpointDisabled { EndpointId = "ep-1", PartnerId = "p-1", Reason = WebhookEndpointDisabledReason.Gone, DisabledAt = Start };
        _outbox.Batches.Enqueue(
        [
            new OutboxMessage(outcomeId, nameof(RequestCompleted), 1, Completed(outcomeId), null),
            new OutboxMessage(operatorId, nameof(WebhookEndpointDisabled), 1, null, StoreJson.Serialize(disabled)),
        ]);

        await Dispatcher().RunOnceAsync(CancellationToken.None);

        var completed = Assert.Single(_harness.Published.Select<RequestCompleted>());
        Assert.Equal(outcomeId, completed.Context.MessageId);
        Assert.Equal("c-1", completed.Context.Message.CorrelationId);
        var published = Assert.Single(_harness.Published.Select<WebhookEndpointDisabled>());
        Assert.Equal(operatorId, published.Context.MessageId);
        Assert.Equal("ep-1", published.Context.Message.EndpointId);
        Assert.Equal([operatorId, outcomeId], _outbox.Sent.Order());
    }

    [Fact]
    public async Task A_message_of_an_unknown_type_waits_the_retry_ceiling_for_a_replica_that_knows_it()
    {
        var id = Guid.NewGuid();
        _outbox.Batches.Enqueue([new OutboxMessage(id, "SomethingNewer", 1, null, "{}")]);

        await Dispatcher().RunOnceAsync(CancellationToken.None);

        Assert.Empty(_outbox.Sent);
        Assert.Equal(Start + _options.RetryCeiling, _outbox.Failed[id].RetryAt);
    }

    [Fact]
    public async Task With_nothing_to_send_it_sleeps_until_the_next_due_message_at_most_its_idle_delay()
    {
        var dispatcher = Dispatcher();
        _outbox.NextDue = Start + TimeSpan.FromMilliseconds(400);
        Assert.Equal(TimeSpan.FromMilliseconds(400), await dispatcher.RunOnceAsync(CancellationToken.None));

        _outbox.NextDue = null;
        Assert.Equal(_options.MaxIdleDelay, await dispatcher.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_publish_whose_confirm_never_comes_fails_after_the_publish_timeout_instead_of_holding_the_batch()
    {
        // A publish filter that never lets go: a confirm lost with a dropped connection.
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        await using var provider = new ServiceCollection()
            .AddMassTransitTestHarness(x => x.UsingInMemory((context, cfg) =>
            {
                cfg.ConfigurePublish(publish => publish.UseExecuteAsync(_ =>
                {
                    reached.TrySetResult();
                    return never.Task;
                }));
                cfg.ConfigureEndpoints(context);
            }))
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var stuck = OutboxMessageId.For("r-1", "s-1");
        _outbox.Batches.Enqueue([new OutboxMessage(stuck, nameof(RequestCompleted), 2, Completed(stuck), null)]);

        var run = Dispatcher(provider.GetRequiredService<IBus>()).RunOnceAsync(CancellationToken.None);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(run.IsCompleted, "the publish should still be waiting for its confirm");

        _time.Advance(_options.PublishTimeout);
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(_outbox.Sent);
        var (retryAt, error) = _outbox.Failed[stuck];
        Assert.Equal(Start + _options.PublishTimeout + (_options.RetryDelay * 2), retryAt);
        Assert.Contains("did not confirm the publish within 10 s", error, StringComparison.Ordinal);
    }

    private static PendingNotification Completed(Guid messageId) => new(
        messageId,
        "r-1",
        1,
        TerminalOutcome.Completed(new BriaResult { Seed = 3 }, Start),
        Start,
        new SubscriberView("s-1", "c-1", null, null, new Dictionary<string, string>(), Start),
        null);

    private OutboxDispatcher Dispatcher(IBus? bus = null) => new(
        _outbox,
        bus ?? _provider.GetRequiredService<IBus>(),
        new ReplicaIdentity(Options.Create(new PollingOptions())),
        TestMetrics.Create(new FakeTrackingStore(), _outbox, _time),
        Options.Create(_options),
        _time,
        NullLogger<OutboxDispatcher>.Instance);
}
