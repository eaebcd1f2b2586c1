namespace Bria.StatusBridge.Api.Models;

/// <summary>The answer to an accepted Bria webhook: the request and what the webhook did (<c>ended</c>,
/// <c>already_ended</c>, <c>poll_now</c>, <c>unchanged</c>, <c>kept_early</c>).</summary>
internal sealed record BriaWebhookAnswer(string RequestId, string Result);
