namespace Bria.StatusBridge.Api.Models;

/// <summary>How many failed deliveries were queued again.</summary>
internal sealed record RecoverResponse(
    string EndpointId,
    DateTimeOffset Since,
    int Recovered);
