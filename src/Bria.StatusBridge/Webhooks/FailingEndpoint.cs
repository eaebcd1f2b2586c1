namespace Bria.StatusBridge.Webhooks;

/// <summary>An endpoint in an unbroken run of failed attempts, and since when (Unix milliseconds).</summary>
internal sealed record FailingEndpoint(string PartnerId, string Url, long FailingSince);
