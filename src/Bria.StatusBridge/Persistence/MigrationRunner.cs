using System.Globalization;
using System.Reflection;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Applies the versioned SQL scripts embedded under <c>Persistence/Migrations/{Provider}</c>, in order, each once.</summary>
internal sealed partial class MigrationRunner(IDbConnectionFactory connections, TimeProvider time, ILogger<MigrationRunner> logger)
{
    // Any constant will do: it only has to be the same for every replica.
    private const long PostgresMigrationLockKey = 0x4252_4941_5342;

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var scripts = LoadScripts(connections.Provider);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connections.Provider == StoreProvider.Postgres)
        {
            // Replicas starting together: one migrates, the others wait and then find nothing to do.
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresMigrationLockKey }, transaction);
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
            LogApplied(logger, script.Name, connections.Provider);
        }

        await transaction.CommitAsync(cancellationToken);
        if (appliedNow.Count == 0)
        {
            LogUpToDate(logger, connections.Provider, scripts.Count == 0 ? 0 : scripts[^1].Version);
        }

        return appliedNow;
    }

    internal static IReadOnlyList<MigrationScript> LoadScripts(StoreProvider provider)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = $"{typeof(MigrationRunner).Namespace}.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Read(assembly, n, n[prefix.Length..^".sql".Length]))
            .OrderBy(s => s.Version)
            .ToList();
    }

    private static MigrationScript Read(Assembly assembly, string resource, string name)
    {
        // Resource names turn a leading digit into "_": "_0001_tracking".
        var trimmed = name.TrimStart('_');
        var version = int.Parse(trimmed[..trimmed.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration resource {resource} is missing.");
        using var reader = new StreamReader(stream);
        return new MigrationScript(version, trimmed, reader.ReadToEnd());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Name} to {Provider}")]
    private static partial void LogApplied(ILogger logger, string name, StoreProvider provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} schema is up to date at version {Version}")]
    private static partial void LogUpToDate(ILogger logger, StoreProvider provider, int version);
}
