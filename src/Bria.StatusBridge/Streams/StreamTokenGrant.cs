namespace Bria.StatusBridge.Streams;

/// <summary>What a valid stream token allows: the partner's stream of one request. <see cref="Problem"/> says why a
/// token was refused (and <see cref="PartnerId"/> is then null).</summary>
internal sealed record StreamTokenGrant(string? PartnerId, string? Problem);
