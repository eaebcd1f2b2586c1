using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>Calls and wall time per stage of the scheduler (store statements, Bria calls): where the time goes.</summary>
internal sealed class StageCounters
{
    private readonly ConcurrentDictionary<string, Stage> _stages = new(StringComparer.Ordinal);

    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> action, int items = 1)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await action();
        }
        finally
        {
            var counter = _stages.GetOrAdd(stage, _ => new Stage());
            Interlocked.Increment(ref counter.Calls);
            Interlocked.Add(ref counter.Items, items);
            Interlocked.Add(ref counter.Ticks, Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    public async Task TimeAsync(string stage, Func<Task> action) => await TimeAsync(stage, async () =>
    {
        await action();
        return 0;
    });

    public IReadOnlyDictionary<string, (long Calls, long Items, TimeSpan Time)> Snapshot() =>
        _stages.ToDictionary(s => s.Key, s => (Interlocked.Read(ref s.Value.Calls), Interlocked.Read(ref s.Value.Items), TimeSpan.FromTicks(Interlocked.Read(ref s.Value.Ticks))));

    public static IReadOnlyDictionary<string, (long Calls, long Items, TimeSpan Time)> Delta(
        IReadOnlyDictionary<string, (long Calls, long Items, TimeSpan Time)> before,
        IReadOnlyDictionary<string, (long Calls, long Items, TimeSpan Time)> after) =>
        after.ToDictionary(a => a.Key, a => before.TryGetValue(a.Key, out var b)
            ? (a.Value.Calls - b.Calls, a.Value.Items - b.Items, a.Value.Time - b.Time)
            : a.Value);

    public static string Describe(IReadOnlyDictionary<string, (long Calls, long Items, TimeSpan Time)> delta, TimeSpan window) =>
        string.Join("; ", delta.OrderByDescending(d => d.Value.Time).Select(d => string.Create(
            CultureInfo.InvariantCulture,
            $"{d.Key}: {d.Value.Calls} calls ({d.Value.Items} rows), {d.Value.Time.TotalMilliseconds / Math.Max(1, d.Value.Calls):0.00} ms each, busy {d.Value.Time / window:0.00} of the window")));

    private sealed class Stage
    {
        public long Calls;
        public long Items;
        public long Ticks;
    }
}
