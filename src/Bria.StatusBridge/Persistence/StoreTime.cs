namespace Bria.StatusBridge.Persistence;

/// <summary>Times are stored as Unix milliseconds in both databases; this turns them back.</summary>
internal static class StoreTime
{
    public static DateTimeOffset At(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    public static DateTimeOffset? At(long? unixMilliseconds) =>
        unixMilliseconds is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds.Value);
}
