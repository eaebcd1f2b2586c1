using Bria.StatusBridge.Polling;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>This process's name on the leases it takes: <see cref="PollingOptions.ReplicaId"/> or the host name, the
/// same after a restart, so the restarted replica takes back its predecessor's leases (<see cref="ReplicaIdentityClaim"/>).
/// Two live processes never share it: the second one to start runs under a suffixed name.</summary>
internal sealed class ReplicaIdentity(IOptions<PollingOptions> options)
{
    private string? _id;

    /// <summary>The configured (or host) name, before any suffix.</summary>
    public string Configured { get; } = string.IsNullOrWhiteSpace(options.Value.ReplicaId) ? Environment.MachineName : options.Value.ReplicaId;

    /// <summary>The name on this process's leases.</summary>
    public string Id => _id ?? Configured;

    /// <summary>Switches to a name no other process uses, because another live process holds <see cref="Configured"/>.</summary>
    public void UseUniqueName() => _id = $"{Configured}-{Guid.NewGuid():N}";
}
