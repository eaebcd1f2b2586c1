using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Bria.StatusBridge.Persistence;

/// <summary>Keeps ASP.NET Core Data Protection keys in the store (table <c>data_protection_keys</c>), so every replica
/// reads the cookies every other replica wrote. Keys are stored as Data Protection hands them over; the database is
/// already where the webhook secrets live, so it is the boundary to protect.</summary>
internal sealed class DataProtectionKeyRepository(IDbConnectionFactory connections, TimeProvider time) : IXmlRepository
{
    // IXmlRepository is synchronous. Data Protection calls it only to load the key ring (cached, refreshed about
    // once a day) and to add a key (once per key lifetime), never per request, so blocking here costs nothing.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = connections.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = connections.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        connection.Execute(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @At)",
            new { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), At = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }
}
