using System.Net;

namespace Bria.StatusBridge.Webhooks;

/// <summary>A CIDR range compared bit by bit. <see cref="IPNetwork.Contains"/> is not used: it does not match
/// IPv4-mapped addresses against <c>::ffff:0:0/96</c>, the very form the guard has to catch.</summary>
internal sealed class AddressRange
{
    private readonly byte[] _prefix;

    private AddressRange(IPAddress baseAddress, int prefixLength)
    {
        BaseAddress = baseAddress;
        PrefixLength = prefixLength;
        _prefix = baseAddress.GetAddressBytes();
    }

    public IPAddress BaseAddress { get; }

    public int PrefixLength { get; }

    public static AddressRange Parse(string cidr)
    {
        var network = IPNetwork.Parse(cidr.Trim());
        return new AddressRange(network.BaseAddress, network.PrefixLength);
    }

    public static bool TryParse(string cidr, out AddressRange? range)
    {
        range = IPNetwork.TryParse(cidr.Trim(), out var network) ? new AddressRange(network.BaseAddress, network.PrefixLength) : null;
        return range is not null;
    }

    /// <summary>Whether <paramref name="address"/> (of the same family) starts with this range's prefix.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != BaseAddress.AddressFamily)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        var full = PrefixLength / 8;
        for (var i = 0; i < full; i++)
        {
            if (bytes[i] != _prefix[i])
            {
                return false;
            }
        }

        var rest = PrefixLength % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (bytes[full] & mask) == (_prefix[full] & mask);
    }

    public override string ToString() => $"{BaseAddress}/{PrefixLength}";
}
