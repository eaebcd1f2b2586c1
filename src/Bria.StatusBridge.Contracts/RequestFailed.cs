namespace Bria.StatusBridge.Contracts;

/// <summary>Event: a tracked Bria request ended without a result. Published once per subscriber; a redelivery
/// keeps the same MassTransit <c>MessageId</c>.</summary>
public sealed record RequestFailed
{
    /// <summary>Bria's <c>request_id</c>.</summary>
    public string RequestId { get; init; } = "";

    /// <summary>The subscriber's correlation id from its <see cref="TrackRequest"/>.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The partner of the subscriber, if any.</summary>
    public string? PartnerId { get; init; }

    /// <summary>The subscriber's metadata, echoed back.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Why the request failed.</summary>
    public FailureReason Reason { get; init; }

    /// <summary>Bria's error object, for <see cref="FailureReason.Error"/> and <see cref="FailureReason.Unknown"/>.</summary>
    public BriaError? Error { get; init; }

    /// <summary>When the request ended: the poll that saw the terminal answer, the deadline, or the cancellation.</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>When the bridge recorded the outcome.</summary>
    public DateTimeOffset NoticedAt { get; init; }
}
