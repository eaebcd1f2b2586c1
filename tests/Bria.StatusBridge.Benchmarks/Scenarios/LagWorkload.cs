using System.Globalization;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>A lag-vs-budget workload: which kinds of job arrive, in what shares, and how long each kind takes
/// (the simulator's own duration profiles, so the simulator could draw the same jobs).</summary>
internal sealed record LagWorkload(string Name, string Description, IReadOnlyList<(JobKind Kind, double Share, JobKindProfile Profile)> Kinds)
{
    public const string Uniform = "uniform";
    public const string LongTail = "long-tail";
    public const string Mix = "mix";

    /// <summary>Reads <c>--workload</c> and its shape options (smaller durations under <c>--smoke</c>).</summary>
    public static LagWorkload From(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = options.Text("workload", Uniform);
        var images = UniformProfile(options.Number("min-duration", 3, 3), options.Number("max-duration", 20, 6));
        switch (name)
        {
            case Uniform:
                return new(name, $"images, uniform {S(images.MinDuration)}-{S(images.MaxDuration)} s", [(JobKind.Image, 1, images)]);
            case LongTail:
                var tail = new JobKindProfile
                {
                    Shape = DurationShape.LogNormal,
                    Median = TimeSpan.FromSeconds(options.Number("median", 6, 3)),
                    Sigma = options.Number("sigma", 1, 0.5),
                    MinDuration = TimeSpan.FromSeconds(options.Number("min-duration", 0.5, 0.5)),
                    MaxDuration = TimeSpan.FromSeconds(options.Number("max-duration", 300, 10)),
                };
                return new(name, $"images, log-normal median {S(tail.Median)} s, sigma {tail.Sigma.ToString(CultureInfo.InvariantCulture)}, within {S(tail.MinDuration)}-{S(tail.MaxDuration)} s ({Above(tail, 60)} past 60 s)", [(JobKind.Image, 1, tail)]);
            case Mix:
                var videoShare = options.Number("video-share", 0.3, 0.3);
                var videos = UniformProfile(options.Number("video-min", 40, 8), options.Number("video-max", 180, 12));
                return new(
                    name,
                    $"{(1 - videoShare) * 100:0}% images uniform {S(images.MinDuration)}-{S(images.MaxDuration)} s, {videoShare * 100:0}% videos uniform {S(videos.MinDuration)}-{S(videos.MaxDuration)} s",
                    [(JobKind.Image, 1 - videoShare, images), (JobKind.Video, videoShare, videos)]);
            default:
                throw new ArgumentException($"--workload must be {Uniform}, {LongTail} or {Mix}, not '{name}'.");
        }
    }

    /// <summary>The mean duration over all kinds, in seconds.</summary>
    public double MeanSeconds => Kinds.Sum(k => k.Share * k.Profile.Mean().TotalSeconds);

    /// <summary>The longest duration any job can have, in seconds.</summary>
    public double MaxSeconds => Kinds.Max(k => k.Profile.MaxDuration.TotalSeconds);

    /// <summary>The arrival rate at which polling every active job once a second would take <paramref name="load"/>
    /// times the budget: jobs in flight (rate x mean duration) = load x budget per second.</summary>
    public double RateForLoad(double load, int budgetPerMinute) => load * budgetPerMinute / 60.0 / MeanSeconds;

    /// <summary>Jobs arriving evenly at <paramref name="rate"/> per second, kind and duration drawn per job.</summary>
    public IReadOnlyList<LagArrival> Plan(double rate, double arrivalSeconds, int seed)
    {
        var random = new Random(seed);
        var count = (int)Math.Round(rate * arrivalSeconds);
        var plan = new List<LagArrival>(count);
        for (var i = 0; i < count; i++)
        {
            var kindDraw = random.NextDouble();
            var durationDraw = random.NextDouble();
            var (kind, _, profile) = Pick(kindDraw);
            plan.Add(new LagArrival($"lag-{i:D6}", i / rate, profile.Draw(durationDraw).TotalSeconds, kind));
        }

        return plan;
    }

    private (JobKind Kind, double Share, JobKindProfile Profile) Pick(double draw)
    {
        foreach (var kind in Kinds)
        {
            if (draw < kind.Share)
            {
                return kind;
            }

            draw -= kind.Share;
        }

        return Kinds[^1];
    }

    private static JobKindProfile UniformProfile(double min, double max) =>
        new() { MinDuration = TimeSpan.FromSeconds(min), MaxDuration = TimeSpan.FromSeconds(max) };

    private static string Above(JobKindProfile profile, double seconds)
    {
        const int Steps = 100_000;
        var above = Enumerable.Range(0, Steps).Count(i => profile.Draw((i + 0.5) / Steps).TotalSeconds > seconds);
        return $"{above * 100.0 / Steps:0.0}%";
    }

    private static string S(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
