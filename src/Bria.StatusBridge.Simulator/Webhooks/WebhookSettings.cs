namespace Bria.StatusBridge.Simulator.Webhooks;

/// <summary>How the simulator delivers Bria's own webhooks (<c>PUT /simulator/webhooks</c>). The defaults are Bria's
/// reported policy: every webhook sent once, failures retried up to 5 attempts with exponential backoff (3, 6, 12,
/// 24 min: about 45 min), 10 s to answer.</summary>
public sealed record WebhookSettings
{
    /// <summary>Share of webhooks never sent at all (Bria's push is a hint, not a guarantee); counted as lost.</summary>
    public double LossRate { get; init; }

    /// <summary>Share of delivered webhooks sent a second time (at-least-once delivery).</summary>
    public double DuplicateRate { get; init; }

    /// <summary>Milliseconds between the job's end and the first attempt.</summary>
    public long DelayMs { get; init; }

    /// <summary>The first this many attempts of every webhook fail on the way (the receiver never sees them), so the
    /// retry schedule runs even against a healthy receiver.</summary>
    public int FailFirstAttempts { get; init; }

    /// <summary>Attempts per webhook, the first included; after the last failure the webhook is lost.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Milliseconds before the first retry; each later retry waits twice as long as the one before.</summary>
    public long BackoffMs { get; init; } = 180_000;

    /// <summary>Milliseconds the receiver has to answer an attempt; later counts as a failure.</summary>
    public long TimeoutMs { get; init; } = 10_000;

    /// <summary>Share of attempts signed with a wrong key.</summary>
    public double BadSignatureRate { get; init; }

    /// <summary>Whether <c>error.code</c> goes out as a string (<c>"VALIDATION_ERROR"</c>), as Bria's webhooks are reported
    /// to send it, rather than the status endpoint's integer.</summary>
    public bool StringErrorCode { get; init; }

    /// <summary>Apply the loss, duplicate, delay, failure and bad-signature knobs only to these ids; null or empty for all.</summary>
    public IReadOnlyList<string>? RequestIds { get; init; }

    /// <summary>Describes what is wrong with these settings, or null when they are usable.</summary>
    public string? Problem()
    {
        if (new[] { LossRate, DuplicateRate, BadSignatureRate }.Any(r => r is < 0 or > 1 || double.IsNaN(r)))
        {
            return "loss_rate, duplicate_rate and bad_signature_rate must lie in [0, 1].";
        }

        if (DelayMs < 0 || FailFirstAttempts < 0 || BackoffMs < 0)
        {
            return "delay_ms, fail_first_attempts and backoff_ms must not be negative.";
        }

        return MaxAttempts < 1 || TimeoutMs < 1 ? "max_attempts and timeout_ms must be at least 1." : null;
    }

    /// <summary>Whether the knobs apply to this request id.</summary>
    internal bool Applies(string requestId) =>
        RequestIds is null || RequestIds.Count == 0 || RequestIds.Contains(requestId, StringComparer.Ordinal);
}
