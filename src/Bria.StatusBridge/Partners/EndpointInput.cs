namespace Bria.StatusBridge.Partners;

/// <summary>What a partner sends to register or change a webhook endpoint; null leaves a field as it is on a change.</summary>
internal sealed record EndpointInput(string? Url, IReadOnlyList<string>? EventTypes, string? Description);
