using System.Net;

namespace Bria.StatusBridge.Webhooks;

/// <summary>A range of addresses that webhooks must not reach, with the name a refusal quotes.</summary>
internal sealed record AddressRule(IPNetwork Network, string Name)
{
    public static AddressRule Of(string cidr, string name) => new(IPNetwork.Parse(cidr), name);

    public override string ToString() => $"{Name} ({Network})";
}
