using Microsoft.AspNetCore.DataProtection;

namespace Bria.StatusBridge.Portal;

/// <summary>Makes sure the shared Data Protection key ring has a key. The <c>migrate</c> job calls it once before any
/// replica starts, so that replicas starting together on a fresh database find one key instead of each creating its own.</summary>
internal static class PortalKeyRing
{
    private static readonly byte[] Probe = [0x42];

    public static void EnsureKey(IServiceProvider services) =>
        // Protecting anything loads the key ring from the store, and creates and stores a key when it has none.
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Bria.StatusBridge.Portal.KeyRing").Protect(Probe);
}
