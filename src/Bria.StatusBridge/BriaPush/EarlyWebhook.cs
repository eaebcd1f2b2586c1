namespace Bria.StatusBridge.BriaPush;

/// <summary>A signed webhook from Bria kept because its request was not tracked yet.</summary>
internal sealed record EarlyWebhook(string RequestId, DateTimeOffset ReceivedAt, bool Terminal, string Body);
