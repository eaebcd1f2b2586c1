namespace Bria.StatusBridge.Api.Models;

/// <summary>A browser's token for one request's status stream, and the URL to give <c>EventSource</c>.</summary>
internal sealed record StreamTokenResponse(string RequestId, string Token, DateTimeOffset ExpiresAt, string EventsUrl);
