using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Streams;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Tests.Streams;

public sealed class StatusStreamRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_unfinished_request_is_a_state_event_named_by_its_observation()
    {
        Assert.Equal(new StatusEvent("state", "tracking.none", Final: false), StatusStreamRule.EventFor(View(TrackingState.Tracking, null)));
        Assert.Equal(new StatusEvent("state", "tracking.in_progress", Final: false), StatusStreamRule.EventFor(View(TrackingState.Tracking, "InProgress")));
    }

    [Fact]
    public void An_ended_request_is_the_final_outcome_event()
    {
        Assert.Equal(new StatusEvent("outcome", "completed", Final: true), StatusStreamRule.EventFor(View(TrackingState.Completed, "Completed")));
        Assert.Equal(new StatusEvent("outcome", "failed", Final: true), StatusStreamRule.EventFor(View(TrackingState.Failed, "Failed")));
    }

    [Fact]
    public void A_partner_that_cancelled_all_its_tracking_gets_a_final_cancelled_event_while_others_still_wait()
    {
        var cancelled = View(TrackingState.Tracking, "InProgress", cancelledAt: At);
        Assert.Equal(new StatusEvent("cancelled", "cancelled", Final: true), StatusStreamRule.EventFor(cancelled));
    }

    [Fact]
    public void Opening_sends_the_current_state_unless_Last_Event_ID_names_it()
    {
        var inProgress = new StatusEvent("state", "tracking.in_progress", Final: false);
        Assert.Equal(StatusStreamStart.Send, StatusStreamRule.Start(inProgress, null));
        Assert.Equal(StatusStreamStart.Send, StatusStreamRule.Start(inProgress, "tracking.none"));
        Assert.Equal(StatusStreamStart.Resume, StatusStreamRule.Start(inProgress, "tracking.in_progress"));
    }

    [Fact]
    public void The_outcome_is_sent_to_any_client_that_has_not_got_it_and_204_answers_one_that_has()
    {
        var outcome = new StatusEvent("outcome", "completed", Final: true);
        Assert.Equal(StatusStreamStart.Send, StatusStreamRule.Start(outcome, "tracking.in_progress"));
        Assert.Equal(StatusStreamStart.Send, StatusStreamRule.Start(outcome, null));
        Assert.Equal(StatusStreamStart.AlreadyEnded, StatusStreamRule.Start(outcome, "completed"));
    }

    [Fact]
    public void Only_a_new_state_is_a_change()
    {
        var state = new StatusEvent("state", "tracking.in_progress", Final: false);
        Assert.False(StatusStreamRule.IsChange(state, "tracking.in_progress"));
        Assert.True(StatusStreamRule.IsChange(state, "tracking.none"));
    }

    private static PartnerRequestView View(TrackingState state, string? observation, DateTimeOffset? cancelledAt = null)
    {
        var subscriber = new SubscriberView("sub-1", "order-1", "prt_1", null, new Dictionary<string, string>(), At, cancelledAt);
        var outcome = state == TrackingState.Tracking ? null : new TerminalOutcome(state == TrackingState.Failed ? FailureReason.Error : null, null, null, At);
        var request = new TrackedRequestView("r-1", EndpointKind.Image, state, At, At.AddHours(1), null, 3, At, observation, 200, outcome, null, [subscriber]);
        return new PartnerRequestView(request, [subscriber], []);
    }
}
