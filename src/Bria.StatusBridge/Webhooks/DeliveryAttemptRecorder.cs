using System.Globalization;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Records one attempt and everything that follows from it, in one transaction: the delivery's next state
/// and its attempt log, the endpoint's run of failures, disabling it (<see cref="EndpointDisableRule"/>) and failing
/// its pending messages, and the operator events for a disabled endpoint or an exhausted delivery.</summary>
internal sealed class DeliveryAttemptRecorder(
    IDbConnectionFactory connections,
    IDeliveryStore deliveries,
    IEndpointStore endpoints,
    IOutboxStore outbox,
    OutboxWakeSignal outboxSignal)
{
    public async Task<AttemptRecorded> RecordAsync(
        string owner, ClaimedDelivery delivery, AttemptResult attempt, DeliveryDecision decision, TimeSpan disableAfter, CancellationToken cancellationToken)
    {
        var at = attempt.AttemptedAt.ToUnixTimeMilliseconds();
        bool disabled;
        bool exhausted;
        await using (var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken))
        {
            var attempts = await deliveries.RecordAttemptAsync(transaction, owner, delivery, attempt, decision, cancellationToken);
            if (attempts is null)
            {
                await transaction.CommitAsync(cancellationToken);
                return new AttemptRecorded(false, false, false);
            }

            disabled = delivery.EndpointId is { } endpointId
                && await UpdateEndpointAsync(transaction, endpointId, attempt, decision, disableAfter, at, cancellationToken);
            exhausted = decision.Kind == DeliveryDecisionKind.Exhausted;
            if (exhausted)
            {
                await outbox.EnqueueAsync(
                    transaction,
                    DeterministicId.Create("delivery-exhausted", delivery.DeliveryId, attempts.Value.ToString(CultureInfo.InvariantCulture)),
                    new WebhookDeliveryExhausted
                    {
                        DeliveryId = delivery.DeliveryId,
                        EndpointId = delivery.EndpointId,
                        PartnerId = delivery.PartnerId,
                        Url = delivery.Url,
                        RequestId = delivery.RequestId,
                        EventType = delivery.EventType,
                        Attempts = attempts.Value,
                        LastStatusCode = attempt.StatusCode,
                        LastError = StoredText.Error(attempt.Error),
                        ExhaustedAt = attempt.AttemptedAt,
                    },
                    at,
                    cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (disabled || exhausted)
        {
            outboxSignal.Wake();
        }

        return new AttemptRecorded(true, disabled, exhausted || decision.Kind == DeliveryDecisionKind.Gone);
    }

    /// <summary>A success ends the endpoint's run of failures; a failure starts or continues it and may disable the
    /// endpoint. Returns whether it disabled it.</summary>
    private async Task<bool> UpdateEndpointAsync(
        StoreTransaction transaction, string endpointId, AttemptResult attempt, DeliveryDecision decision, TimeSpan disableAfter, long at, CancellationToken cancellationToken)
    {
        if (decision.Kind == DeliveryDecisionKind.Delivered)
        {
            await endpoints.ClearFailingAsync(transaction, endpointId, cancellationToken);
            return false;
        }

        var endpoint = await endpoints.MarkFailingAsync(transaction, endpointId, at, cancellationToken);
        if (endpoint is null)
        {
            return false;
        }

        var failingSince = DateTimeOffset.FromUnixTimeMilliseconds(endpoint.FailingSince);
        if (EndpointDisableRule.Decide(decision.Kind, failingSince, DateTimeOffset.FromUnixTimeMilliseconds(at), disableAfter) is not { } reason)
        {
            return false;
        }

        var reasonText = EndpointDisableRule.Describe(reason, failingSince);
        await endpoints.DisableAsync(transaction, endpointId, reasonText, at, cancellationToken);
        // Nothing more goes to a disabled endpoint; its messages can be recovered once it is enabled again.
        await deliveries.FailPendingAsync(transaction, endpointId, "Not sent: the endpoint was disabled. " + reasonText, cancellationToken);
        await outbox.EnqueueAsync(
            transaction,
            DeterministicId.Create("endpoint-disabled", endpointId, at.ToString(CultureInfo.InvariantCulture)),
            new WebhookEndpointDisabled
            {
                EndpointId = endpointId,
                PartnerId = endpoint.PartnerId,
                Url = Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) ? url : null,
                Reason = reason,
                LastStatusCode = attempt.StatusCode,
                LastError = StoredText.Error(attempt.Error),
                FailingSince = failingSince,
                DisabledAt = attempt.AttemptedAt,
            },
            at,
            cancellationToken);
        return true;
    }
}
