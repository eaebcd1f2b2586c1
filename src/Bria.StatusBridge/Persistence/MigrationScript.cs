namespace Bria.StatusBridge.Persistence;

internal sealed record MigrationScript(int Version, string Name, string Sql);
