using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Persistence;

/// <summary>Where the bridge keeps its state (section <c>Persistence</c>; the connection string is
/// <c>ConnectionStrings:StatusBridge</c>).</summary>
public sealed class PersistenceOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Persistence";

    /// <summary>The database: <c>Sqlite</c> (default, a file) or <c>Postgres</c>.</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>Filled from <c>ConnectionStrings:StatusBridge</c>; SQLite defaults to a file in the working folder.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Set ConnectionStrings__StatusBridge to the database's connection string.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the service starts (the Helm chart turns this off and runs <c>migrate</c> as a Job).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
