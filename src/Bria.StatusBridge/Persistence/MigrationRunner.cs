using System.Globalization;
using System.Reflection;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Applies the versioned SQL scripts embedded under <c>Persistence/Migrations</c>, in order, each once. A
/// script is written once for both databases (<c>0001_tracking.sql</c>) unless its DDL really differs; then each
/// database has its own file of the same version (<c>0004_test_events.postgres.sql</c>, <c>….sqlite.sql</c>).</summary>
internal sealed partial class MigrationRunner(IDbConnectionFactory connections, TimeProvider time, ILogger<MigrationRunner> logger)
{
    private static readonly string[] ProviderSuffixes = [.. Enum.GetValues<StoreProvider>().Select(p => SqlDialect.For(p).MigrationSuffix)];

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        var scripts = LoadScripts(dialect);
        // Before the first table exists, so that a new SQLite file never needs the one-time rewrite.
        await StorageSpace.PrepareAsync(connections, logger, cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.MigrationLock is { } migrationLock)
        {
            // Replicas starting together: one migrates, the others wait and then find nothing to do.
            await connection.ExecuteAsync(migrationLock, transaction: transaction);
        }

        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)",
            transaction: transaction);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: transaction)).ToHashSet();

        var appliedNow = new List<string>();
        foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
        {
            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { script.Version, script.Name, At = time.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction);
            appliedNow.Add(script.Name);
            LogApplied(logger, script.Name, dialect.Provider);
        }

        await transaction.CommitAsync(cancellationToken);
        if (appliedNow.Count == 0)
        {
            LogUpToDate(logger, dialect.Provider, scripts.Count == 0 ? 0 : scripts[^1].Version);
        }

        return appliedNow;
    }

    /// <summary>The scripts for <paramref name="dialect"/>'s database, by version: the shared ones and its own.</summary>
    internal static IReadOnlyList<MigrationScript> LoadScripts(SqlDialect dialect)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = $"{typeof(MigrationRunner).Namespace}.Migrations.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            // Resource names turn a leading digit into "_": "_0001_tracking", "_0004_test_events.sqlite".
            var stem = resource[prefix.Length..^".sql".Length].TrimStart('_');
            var dot = stem.IndexOf('.', StringComparison.Ordinal);
            if (dot >= 0 && !ProviderSuffixes.Contains(stem[(dot + 1)..]))
            {
                // A file in a sub-folder (the old Migrations/Postgres and Migrations/Sqlite layout) would be skipped
                // silently for one database: refuse it, saying how to fold it into the one tree.
                throw new InvalidOperationException(
                    $"Migration resource {resource} is not in the one migration tree: move it to Persistence/Migrations/ as "
                    + "NNNN_name.sql when both databases run it, or as NNNN_name.postgres.sql and NNNN_name.sqlite.sql when they differ.");
            }

            if (dot >= 0 && stem[(dot + 1)..] != dialect.MigrationSuffix)
            {
                continue;
            }

            scripts.Add(Read(assembly, resource, dot >= 0 ? stem[..dot] : stem));
        }

        var twice = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidOperationException(
                $"Migration version {twice.Key} exists twice for {dialect.Provider} ({string.Join(", ", twice.Select(s => s.Name))}): "
                + "a version is either one shared file or one file per database.");
        }

        return [.. scripts.OrderBy(s => s.Version)];
    }

    private static MigrationScript Read(Assembly assembly, string resource, string name)
    {
        var version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration resource {resource} is missing.");
        using var reader = new StreamReader(stream);
        return new MigrationScript(version, name, reader.ReadToEnd());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Name} to {Provider}")]
    private static partial void LogApplied(ILogger logger, string name, StoreProvider provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} schema is up to date at version {Version}")]
    private static partial void LogUpToDate(ILogger logger, StoreProvider provider, int version);
}
