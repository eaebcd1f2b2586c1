namespace Bria.StatusBridge.Hosting;

/// <summary>Exponential backoff: <see cref="First"/> after the first failure, doubled after each further one, never
/// more than <see cref="Ceiling"/>. The one formula for every retry that is not a published schedule.</summary>
internal readonly record struct Backoff(TimeSpan First, TimeSpan Ceiling)
{
    /// <summary>The wait after <paramref name="failures"/> failures in a row (0 or 1: <see cref="First"/>).</summary>
    public TimeSpan After(int failures) => TimeSpan.FromMilliseconds(Math.Min(
        Ceiling.TotalMilliseconds,
        First.TotalMilliseconds * Math.Pow(2, Math.Max(0, failures - 1))));
}
