using System.Net;

namespace Bria.StatusBridge.Webhooks;

/// <summary>A range of addresses that webhooks must not reach, with the name a refusal quotes.</summary>
internal sealed record AddressRule(AddressRange Range, string Name)
{
    public static AddressRule Of(string cidr, string name) => new(AddressRange.Parse(cidr), name);

    public bool Contains(IPAddress address) => Range.Contains(address);

    public override string ToString() => $"{Name} ({Range})";
}
