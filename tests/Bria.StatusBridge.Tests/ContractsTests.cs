using System.Text.Json;
using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Tests;

public sealed class ContractsTests
{
    [Fact]
    public void Endpoint_kind_serializes_as_its_name()
    {
        var json = JsonSerializer.Serialize(new TrackRequest { RequestId = "r1", EndpointKind = EndpointKind.Video });
        Assert.Contains("\"EndpointKind\":\"Video\"", json, StringComparison.Ordinal);
    }
}
