using System.Data.Common;

namespace Bria.StatusBridge.Persistence;

/// <summary>Opens connections to the configured store.</summary>
internal interface IDbConnectionFactory
{
    StoreProvider Provider { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
