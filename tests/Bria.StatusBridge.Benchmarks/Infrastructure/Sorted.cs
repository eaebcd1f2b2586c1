namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>Searches in an ascending array.</summary>
internal static class Sorted
{
    /// <summary>The index of the first element not below <paramref name="value"/> (the length when there is none).</summary>
    public static int FirstAtLeast(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
