namespace Bria.StatusBridge.Streams;

/// <summary>A browser's token for one request's status stream, and when it stops opening streams.</summary>
internal sealed record StreamToken(string Token, DateTimeOffset ExpiresAt);
