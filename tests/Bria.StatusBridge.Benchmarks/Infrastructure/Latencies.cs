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

    /// <summary>A distribution-free confidence interval of the <paramref name="percentile"/>th percentile, in
    /// milliseconds: the order statistics between which the true percentile of the process that made these samples
    /// lies with about 95% confidence (the binomial count of samples below it, by its normal approximation). Two runs
    /// whose intervals overlap do not tell their percentiles apart. NaN bounds where the samples are too few.</summary>
    public (double Low, double High) PercentileInterval(double percentile)
    {
        lock (_lock)
        {
            var n = _values.Count;
            if (n == 0)
            {
                return (double.NaN, double.NaN);
            }

            var p = percentile / 100;
            var spread = 1.96 * Math.Sqrt(n * p * (1 - p));
            var low = (int)Math.Floor((n * p) - spread);
            var high = (int)Math.Ceiling((n * p) + spread);
            var sorted = _values.Order().ToList();
            return (low < 0 ? double.NaN : sorted[low], high >= n ? double.NaN : sorted[high]);
        }
    }

    /// <summary>The <paramref name="percentile"/>th percentile over <paramref name="jobs"/> jobs of which these samples
    /// are the ones noticed, a job never noticed counting as the longest lag of all: +infinity when more than the
    /// percentile's complement were never noticed. Equal to <see cref="Percentile"/> when every job was.</summary>
    public double PercentileOfAll(double percentile, int jobs)
    {
        lock (_lock)
        {
            var n = _values.Count;
            if (n >= jobs)
            {
                return n == 0 ? double.NaN : _histogram.GetValueAtPercentile(percentile) / 1000.0;
            }

            var rank = (int)Math.Ceiling(jobs * percentile / 100) - 1;
            return rank >= n ? double.PositiveInfinity : _values.Order().ElementAt(Math.Max(0, rank));
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

    public static string Seconds(double milliseconds) =>
        double.IsNaN(milliseconds) ? "-" : double.IsPositiveInfinity(milliseconds) ? "never" : (milliseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture);
}
