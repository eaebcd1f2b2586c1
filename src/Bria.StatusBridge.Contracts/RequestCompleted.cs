namespace Bria.StatusBridge.Contracts;

/// <summary>Event: a tracked Bria request completed. Published once per subscriber; a redelivery keeps the
/// same MassTransit <c>MessageId</c>.</summary>
public sealed record RequestCompleted
{
    /// <summary>Bria's <c>request_id</c>.</summary>
    public string RequestId { get; init; } = "";

    /// <summary>The subscriber's correlation id from its <see cref="TrackRequest"/>.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The partner of the subscriber, if any.</summary>
    public string? PartnerId { get; init; }

    /// <summary>The subscriber's metadata, echoed back.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Bria's result.</summary>
    public BriaResult Result { get; init; } = new();

    /// <summary>When Bria finished, as far as the bridge can tell: the time of the first poll that saw the
    /// terminal state (Bria's status endpoint carries no timestamp).</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>When the bridge recorded the outcome.</summary>
    public DateTimeOffset NoticedAt { get; init; }
}
