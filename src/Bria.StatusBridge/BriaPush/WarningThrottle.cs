namespace Bria.StatusBridge.BriaPush;

/// <summary>Lets through at most one warning per key per interval and counts the ones held back, so that a flood of
/// bad posts cannot flood the logs. Thread-safe; time from the caller.</summary>
internal sealed class WarningThrottle(TimeSpan interval)
{
    private readonly Dictionary<string, (DateTimeOffset Until, int Suppressed)> _keys = new(StringComparer.Ordinal);

    /// <summary>Whether to log now; when true, <paramref name="suppressed"/> says how many were held back since the last one.</summary>
    public bool ShouldLog(string key, DateTimeOffset now, out int suppressed)
    {
        lock (_keys)
        {
            if (_keys.TryGetValue(key, out var entry) && now < entry.Until)
            {
                _keys[key] = entry with { Suppressed = entry.Suppressed + 1 };
                suppressed = 0;
                return false;
            }

            suppressed = entry.Suppressed;
            _keys[key] = (now + interval, 0);
            return true;
        }
    }
}
