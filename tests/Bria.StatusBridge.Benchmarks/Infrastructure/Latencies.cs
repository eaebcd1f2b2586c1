using System.Globalization;
using HdrHistogram;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>Latency samples in milliseconds: percentiles from an HdrHistogram, the raw values for CDF plots.</summary>
internal sealed class Latencies
{
    private readonly LongHistogram _histogram = new(TimeStamp.Hours(2), 3);
    private readonly List<double> _values = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _values.Count;
            }
        }
    }

    public IReadOnlyList<double> Values
    {
        get
        {
            lock (_lock)
            {
                return [.. _values];
            }
        }
    }

    public void Record(double milliseconds)
    {
        lock (_lock)
        {
            _values.Add(milliseconds);
            // The histogram counts in microseconds: a sub-millisecond loopback call keeps its resolution.
            _histogram.RecordValue(Math.Max(0, (long)(milliseconds * 1000)));
        }
    }

    public double Percentile(double percentile)
    {
        lock (_lock)
        {
            return _values.Count == 0 ? double.NaN : _histogram.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    public double Max
    {
        get
        {
            lock (_lock)
            {
                return _values.Count == 0 ? double.NaN : _values.Max();
            }
        }
    }

    public static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);

    public static string Seconds(double milliseconds) => double.IsNaN(milliseconds) ? "-" : (milliseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture);
}
