namespace Bria.StatusBridge.Simulator.Stats;

/// <summary>Bria's own webhooks since start or the last reset.</summary>
public sealed record WebhookStats
{
    /// <summary>POSTs made to receivers: first attempts, retries and duplicates (not the attempts failed on purpose
    /// before reaching the receiver).</summary>
    public long Sent { get; init; }

    /// <summary>Webhooks a receiver answered with 2xx (a duplicate counts again).</summary>
    public long Delivered { get; init; }

    /// <summary>Attempts that failed: non-2xx, timeout, connection error, or failed on purpose (<c>fail_first_attempts</c>).</summary>
    public long Failed { get; init; }

    /// <summary>Webhooks never delivered: dropped on purpose (<c>loss_rate</c>), out of attempts, or refused by a full queue.</summary>
    public long Lost { get; init; }

    /// <summary>Extra copies scheduled after a delivery (<c>duplicate_rate</c>).</summary>
    public long Duplicated { get; init; }

    /// <summary>Attempts sent with a wrong signature (<c>bad_signature_rate</c>).</summary>
    public long BadSignatures { get; init; }

    /// <summary>Attempts waiting for their time now: jobs not yet finished, delays and retries.</summary>
    public int Pending { get; init; }
}
