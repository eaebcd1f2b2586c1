using System.Data.Common;

namespace Bria.StatusBridge.Persistence;

/// <summary>Opens connections to the configured store and names its dialect.</summary>
internal interface IDbConnectionFactory
{
    StoreProvider Provider => Dialect.Provider;

    /// <summary>How the configured database spells what differs; chosen once, with the provider.</summary>
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
