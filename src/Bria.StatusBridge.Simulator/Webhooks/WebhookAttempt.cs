namespace Bria.StatusBridge.Simulator.Webhooks;

/// <summary>One due POST of a job's webhook.</summary>
/// <param name="RequestId">The job, and the <c>Bria-Webhook-Id</c>.</param>
/// <param name="Url">Where to POST.</param>
/// <param name="DueAt">When it is due.</param>
/// <param name="Attempt">1 for the first attempt of a delivery, 2 for its first retry, ...</param>
/// <param name="Duplicate">Whether this delivery is the extra copy of one already delivered (never copied again).</param>
internal sealed record WebhookAttempt(string RequestId, Uri Url, DateTimeOffset DueAt, int Attempt, bool Duplicate);
