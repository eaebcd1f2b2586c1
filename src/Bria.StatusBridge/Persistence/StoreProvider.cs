namespace Bria.StatusBridge.Persistence;

/// <summary>The database behind the tracking store.</summary>
public enum StoreProvider
{
    /// <summary>A SQLite file: the embedded default, one instance only.</summary>
    Sqlite = 0,

    /// <summary>PostgreSQL: production, shared by every replica.</summary>
    Postgres = 1,
}
