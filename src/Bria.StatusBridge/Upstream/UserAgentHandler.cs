using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.Upstream;

/// <summary>Names the bridge and the replica in every status call's <c>User-Agent</c>, so that Bria's operators (and the
/// simulator) can tell replicas apart. Per request, not per client: the replica's name is settled at start
/// (<see cref="ReplicaIdentityClaim"/>), after long-lived clients were created.</summary>
internal sealed class UserAgentHandler(ReplicaIdentity replica) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", BriaStatusClientServiceCollectionExtensions.UserAgent(replica));
        return base.SendAsync(request, cancellationToken);
    }
}
