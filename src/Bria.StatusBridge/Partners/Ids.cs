namespace Bria.StatusBridge.Partners;

/// <summary>Resource ids: a type prefix and a time-ordered random part (<c>ep_0197...</c>), so that an id says
/// what it names and lists sort by creation.</summary>
internal static class Ids
{
    public const string Partner = "prt";
    public const string ApiKey = "key";
    public const string Endpoint = "ep";
    public const string Message = "msg";

    public static string New(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";
}
