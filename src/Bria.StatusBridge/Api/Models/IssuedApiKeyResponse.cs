namespace Bria.StatusBridge.Api.Models;

/// <summary>A newly issued API key: <c>key</c> appears in this answer only; store it now.</summary>
internal sealed record IssuedApiKeyResponse(
    string KeyId,
    string PartnerId,
    string Key,
    string Prefix,
    string? Name,
    DateTimeOffset CreatedAt);
