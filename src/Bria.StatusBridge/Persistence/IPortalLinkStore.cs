namespace Bria.StatusBridge.Persistence;

/// <summary>One-time portal links: only the token's hash is stored.</summary>
internal interface IPortalLinkStore
{
    /// <summary>Stores a new link and drops links that expired before <paramref name="now"/>.</summary>
    Task AddAsync(string tokenHash, string partnerId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Uses the link once: the partner id when it exists, is unused and has not expired; null otherwise. Atomic,
    /// so two replicas exchanging the same token at once cannot both succeed.</summary>
    Task<string?> UseAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);
}
