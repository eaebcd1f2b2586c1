namespace Bria.StatusBridge.Simulator;

/// <summary>How long jobs of one endpoint kind take: uniform between the bounds, or log-normal around a median and
/// clamped to the bounds. Benchmarks draw from the same profiles, so a workload reads the same in both.</summary>
public sealed class JobKindProfile
{
    /// <summary>The shortest duration drawn.</summary>
    public TimeSpan MinDuration { get; set; }

    /// <summary>The longest duration drawn.</summary>
    public TimeSpan MaxDuration { get; set; }

    /// <summary>The distribution between the bounds.</summary>
    public DurationShape Shape { get; set; } = DurationShape.Uniform;

    /// <summary>The median of a log-normal profile (half the jobs take longer).</summary>
    public TimeSpan Median { get; set; }

    /// <summary>The spread of a log-normal profile: the standard deviation of the duration's logarithm (1.0: a tenth
    /// of the jobs take more than 3.6x the median, about one in a hundred more than 10x).</summary>
    public double Sigma { get; set; }

    /// <summary>The duration at quantile <paramref name="u"/> in [0, 1): one uniform draw gives one duration, so a seeded
    /// run draws the same sequence whatever the shape.</summary>
    public TimeSpan Draw(double u)
    {
        if (Shape == DurationShape.Uniform)
        {
            return MinDuration + ((MaxDuration - MinDuration) * u);
        }

        if (u <= 0)
        {
            return MinDuration;
        }

        var seconds = Median.TotalSeconds * Math.Exp(Sigma * NormalQuantile(u));
        return TimeSpan.FromSeconds(Math.Clamp(seconds, MinDuration.TotalSeconds, MaxDuration.TotalSeconds));
    }

    /// <summary>The mean duration, integrated over the quantiles.</summary>
    public TimeSpan Mean()
    {
        const int Steps = 100_000;
        var sum = 0.0;
        for (var i = 0; i < Steps; i++)
        {
            sum += Draw((i + 0.5) / Steps).TotalSeconds;
        }

        return TimeSpan.FromSeconds(sum / Steps);
    }

    /// <summary>What is wrong with this profile, or null when it is usable.</summary>
    internal string? Problem()
    {
        if (MinDuration < TimeSpan.Zero || MaxDuration < MinDuration)
        {
            return "MinDuration must be >= 0 and <= MaxDuration.";
        }

        return Shape == DurationShape.LogNormal && (Sigma <= 0 || double.IsNaN(Sigma) || Median <= TimeSpan.Zero || Median < MinDuration || Median > MaxDuration)
            ? "a log-normal profile needs Sigma > 0 and a positive Median between MinDuration and MaxDuration."
            : null;
    }

    /// <summary>The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    private static double NormalQuantile(double p)
    {
        const double Low = 0.02425;
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        if (p < Low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        if (p > 1 - Low)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
