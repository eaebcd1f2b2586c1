namespace Bria.StatusBridge.Webhooks;

/// <summary>The fields of an endpoint update; null leaves a field as it is (an empty description clears it).</summary>
internal sealed record EndpointChanges(Uri? Url, IReadOnlyList<string>? EventTypes, string? Description);
