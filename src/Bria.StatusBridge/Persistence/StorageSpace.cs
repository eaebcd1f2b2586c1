using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Gives purged space back to the file system where the database does not do it itself (SQLite); owns no
/// table. A new SQLite file is switched to incremental vacuum before its tables exist; an existing one is rewritten
/// once, at start-up, before the service takes work (logged, since it takes a while on a large file).</summary>
internal sealed partial class StorageSpace(IDbConnectionFactory connections)
{
    /// <summary>Makes sure purged pages can be handed back later; a no-op once done, and on PostgreSQL.</summary>
    public static async Task PrepareAsync(IDbConnectionFactory connections, ILogger logger, CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        if (dialect.SpaceReclaimEnabled is not { } check || dialect.EnableSpaceReclaim is not { } enable)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(check, cancellationToken: cancellationToken)) == 1)
        {
            return;
        }

        var tables = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", cancellationToken: cancellationToken));
        if (tables > 0)
        {
            LogRewriting(logger);
        }

        await connection.ExecuteAsync(new CommandDefinition(enable, cancellationToken: cancellationToken));
    }

    /// <summary>Hands up to <paramref name="pages"/> free pages back to the file system (SQLite); answers whether
    /// anything ran.</summary>
    public async Task<bool> ReclaimAsync(int pages, CancellationToken cancellationToken)
    {
        if (pages <= 0 || connections.Dialect.ReclaimSpace(pages) is not { } sql)
        {
            return false;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rewriting the SQLite file once (VACUUM) so that purged history gives its space back; this takes a while on a large file and happens before the service takes work")]
    private static partial void LogRewriting(ILogger logger);
}
