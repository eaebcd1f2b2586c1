using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Portal links over PostgreSQL or SQLite (table <c>portal_links</c>).</summary>
internal sealed class PortalLinkStore(IDbConnectionFactory connections) : IPortalLinkStore
{
    public async Task AddAsync(string tokenHash, string partnerId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM portal_links WHERE expires_at < @Now;
            INSERT INTO portal_links (token_hash, partner_id, created_at, expires_at) VALUES (@TokenHash, @PartnerId, @Now, @ExpiresAt);
            """,
            new { TokenHash = tokenHash, PartnerId = partnerId, Now = now.ToUnixTimeMilliseconds(), ExpiresAt = expiresAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    public async Task<string?> UseAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            """
            UPDATE portal_links SET used_at = @Now
            WHERE token_hash = @TokenHash AND used_at IS NULL AND expires_at > @Now
            RETURNING partner_id
            """,
            new { TokenHash = tokenHash, Now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }
}
