using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Simulator.Jobs;
using MassTransit;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>Several subscribers of one Bria request: one poll loop, one event each, none twice.</summary>
public abstract class SubscriberTests(RabbitMqFixture rabbit, BridgeEnvironment environment) : BridgeScenarioTests(rabbit, environment)
{
    [Fact]
    public async Task Two_subscribers_of_one_request_share_one_poll_loop_and_each_get_their_own_event()
    {
        var id = NewRequestId("two-subscribers");
        // Long enough to be polled several times however slow the intake: the job's clock starts here, not at tracking
        // (with 1.5 s, a slow intake once left a single status call, and no interval between calls to check).
        CreateJob(id, JobOutcome.Completed, durationMs: 6000);
        var first = Command(id, subscriber: "first");
        var second = Command(id, subscriber: "second") with { PartnerId = "partner-2" };

        await TrackAsync(first);
        await TrackAsync(second);
        var outcomes = await Env.Outcomes.WaitForAsync(id, 2, EventTimeout);

        Assert.Equal(2, outcomes.Count);
        var forFirst = Assert.Single(outcomes, o => o.Completed?.CorrelationId == first.CorrelationId).Completed!;
        var forSecond = Assert.Single(outcomes, o => o.Completed?.CorrelationId == second.CorrelationId).Completed!;
        AssertEchoes(first, forFirst.RequestId, forFirst.CorrelationId, forFirst.PartnerId, forFirst.Metadata);
        AssertEchoes(second, forSecond.RequestId, forSecond.CorrelationId, forSecond.PartnerId, forSecond.Metadata);
        Assert.Equal(forFirst.Result.ImageUrl, forSecond.Result.ImageUrl);
        Assert.Equal(forFirst.FinishedAt, forSecond.FinishedAt);
        Assert.NotEqual(outcomes[0].MessageId, outcomes[1].MessageId);

        // One loop: the bridge's poll count is every call Bria saw, and no two calls came closer than the shortest
        // interval allows (two loops started together would poll at nearly the same moments).
        var stored = await Env.Store.GetAsync(id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(2, stored.Subscribers.Count);
        foreach (var subscriber in stored.Subscribers)
        {
            // The MessageId is derived from the request and the subscriber, so a republish is recognisable.
            var received = Assert.Single(outcomes, o => o.Completed?.CorrelationId == subscriber.CorrelationId);
            Assert.Equal(OutboxMessageId.For(id, subscriber.SubscriberId), received.MessageId);
        }

        var calls = Env.Simulator.State.GetStats().Requests[id].CallTimes;
        Assert.Equal(calls.Count, stored.Polls);
        Assert.True(calls.Count >= 2, $"{calls.Count} status call: the intake took longer than the job, nothing was proved");
        var closest = calls.Zip(calls.Skip(1), (a, b) => b - a).Min();
        Assert.True(closest >= TimeSpan.FromMilliseconds(100), $"Two status calls came {closest.TotalMilliseconds} ms apart: {calls.Count} calls in all.");
    }

    [Fact]
    public async Task Tracking_a_request_that_already_ended_notifies_the_new_subscriber_from_the_stored_outcome_without_status_calls()
    {
        var id = NewRequestId("already-ended");
        CreateJob(id, JobOutcome.Error, durationMs: 0);
        var early = Command(id, subscriber: "early");
        await TrackAsync(early);
        var first = await FailedAsync(id);
        var callsBefore = StatusCalls(id);

        var late = Command(id, subscriber: "late") with { PartnerId = "partner-late" };
        await TrackAsync(late);
        var outcomes = await Env.Outcomes.WaitForAsync(id, 2, EventTimeout);

        var second = Assert.Single(outcomes, o => o.Failed?.CorrelationId == late.CorrelationId).Failed!;
        AssertEchoes(late, second.RequestId, second.CorrelationId, second.PartnerId, second.Metadata);
        Assert.Equal(first.Reason, second.Reason);
        Assert.Equal(first.Error, second.Error);
        Assert.Equal(first.FinishedAt, second.FinishedAt);
        Assert.Equal(first.NoticedAt, second.NoticedAt);
        Assert.Equal(callsBefore, StatusCalls(id));
    }

    [Fact]
    public async Task Redelivered_identical_command_produces_no_second_event_while_tracking_or_after_the_end()
    {
        var id = NewRequestId("redelivered");
        CreateJob(id, JobOutcome.Completed, durationMs: 800);
        var command = Command(id);
        var messageId = NewId.NextGuid();

        // Twice while tracking, as a broker redelivery would, then once more after the outcome was published.
        await Env.Services.Publish(command, context => context.MessageId = messageId);
        await Env.Services.Publish(command, context => context.MessageId = messageId);
        await CompletedAsync(id);
        await Env.Commands.WaitForAsync(id, command.CorrelationId, 2, EventTimeout);
        await Env.Services.Publish(command, context => context.MessageId = messageId);
        await Env.Commands.WaitForAsync(id, command.CorrelationId, 3, EventTimeout);

        var stored = await Env.Store.GetAsync(id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Single(stored.Subscribers);
        await Eventually.HoldsAsync(
            async () => await Env.Outbox.BacklogAsync(CancellationToken.None) == 0,
            EventTimeout,
            () => "outcome events still wait in the outbox.");
        Assert.Single(Env.Outcomes.For(id));
    }
}
