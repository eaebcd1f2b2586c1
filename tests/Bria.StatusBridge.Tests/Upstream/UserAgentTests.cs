using System.Net;
using Bria.StatusBridge.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bria.StatusBridge.Tests.Upstream;

public sealed class UserAgentTests
{
    [Fact]
    public async Task Status_calls_carry_a_user_agent_naming_the_bridge_version_and_the_replica()
    {
        string? seen = null;
        using var harness = BriaClientHarness.Create((request, _) =>
        {
            seen = request.Headers.UserAgent.ToString();
            return Task.FromResult(StubHttpMessageHandler.Json(HttpStatusCode.OK, """{"request_id":"r1","status":"IN_PROGRESS"}"""));
        });
        var replica = harness.Services.GetRequiredService<ReplicaIdentity>();

        await harness.Client.GetStatusAsync("r1", CancellationToken.None);

        Assert.NotNull(seen);
        Assert.StartsWith("Bria.StatusBridge/", seen, StringComparison.Ordinal);
        Assert.EndsWith($" ({replica.Id})", seen, StringComparison.Ordinal);
    }
}
