namespace Bria.StatusBridge.Api.Models;

/// <summary>A one-time portal link for a partner: open <c>url</c> in a browser before <c>expires_at</c>, once.</summary>
internal sealed record PortalLinkResponse(string PartnerId, Uri Url, DateTimeOffset ExpiresAt);
