namespace Bria.StatusBridge.Hosting;

/// <summary>This process's name on the leases it takes; unique per start, so a restarted replica never mistakes
/// its predecessor's leases for its own.</summary>
internal sealed class ReplicaIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";
}
