using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling.Learning;

namespace Bria.StatusBridge.Tests.Polling.Learning;

/// <summary>The left-out share split among the kinds (<see cref="SkipSplit"/>) and the kinds' shares of the jobs it
/// weighs them by (<see cref="DurationLearning.JobShares"/>).</summary>
public sealed class SkipSplitTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary><paramref name="count"/> jobs of exactly known durations, evenly spread over <paramref name="from"/> to <paramref name="to"/> seconds.</summary>
    private static DurationHistogram Evenly(int count, double from, double to)
    {
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < count; i++)
        {
            var duration = from + ((to - from) * (i + 0.5) / count);
            histogram = histogram.Observe(duration, duration, 1);
        }

        return histogram;
    }

    [Fact]
    public void In_a_mix_the_share_goes_to_the_videos_start_up_to_a_tenth_of_them()
    {
        // 70% images of 3-20 s, 30% videos of 40-180 s: leaving out 1% of the videos' start saves 1.4 s of looks per
        // video; 1% of the images' saves 0.17 s per image. All 3% of the jobs goes to the videos: 10% of them.
        var images = Evenly(1000, 3, 20);
        var videos = Evenly(1000, 40, 180);
        var split = SkipSplit.Split([(EndpointKind.Image, 0.7, images), (EndpointKind.Video, 0.3, videos)], 0.03);

        Assert.InRange(split[EndpointKind.Video], 0.095, 0.1 + 1e-9);
        Assert.InRange(split[EndpointKind.Image], 0, 0.002);
        // The share of all jobs left out is the one asked for.
        Assert.Equal(0.03, (0.7 * split[EndpointKind.Image]) + (0.3 * split[EndpointKind.Video]), 3);
        Assert.InRange(videos.PollingWindow(split[EndpointKind.Video]).From, 52, 55);

        // More than a tenth of the videos would be: the rest goes to the images.
        var more = SkipSplit.Split([(EndpointKind.Image, 0.7, images), (EndpointKind.Video, 0.3, videos)], 0.05);
        Assert.InRange(more[EndpointKind.Video], 0.09, 0.1 + 1e-9);
        Assert.Equal(0.02 / 0.7, more[EndpointKind.Image], 2);
        Assert.Equal(0.05, (0.7 * more[EndpointKind.Image]) + (0.3 * more[EndpointKind.Video]), 3);
    }

    [Fact]
    public void One_kind_or_unknown_shares_leave_out_the_share_asked_of_each_kind()
    {
        var images = Evenly(1000, 3, 20);
        var videos = Evenly(1000, 40, 180);

        Assert.Equal(0.03, SkipSplit.Split([(EndpointKind.Image, 1.0, images)], 0.03)[EndpointKind.Image], 6);
        var unknown = SkipSplit.Split([(EndpointKind.Image, 0.0, images), (EndpointKind.Video, 0.3, videos)], 0.03);
        Assert.Equal(0.03, unknown[EndpointKind.Image], 6);
        Assert.Equal(0.03, unknown[EndpointKind.Video], 6);
        Assert.Equal(0, SkipSplit.Split([(EndpointKind.Image, 0.7, images), (EndpointKind.Video, 0.3, videos)], 0)[EndpointKind.Video]);
    }

    [Fact]
    public void Two_kinds_alike_both_leave_some_out()
    {
        // Alike, a share left out of one saves what it saves of the other (up to the bins' steps): neither takes it all.
        var first = Evenly(1000, 3, 20);
        var second = Evenly(1000, 3, 20);
        var split = SkipSplit.Split([(EndpointKind.Image, 0.5, first), (EndpointKind.Video, 0.5, second)], 0.03);

        Assert.InRange(split[EndpointKind.Image], 0.015, 0.045);
        Assert.InRange(split[EndpointKind.Video], 0.015, 0.045);
        Assert.Equal(0.03, (0.5 * split[EndpointKind.Image]) + (0.5 * split[EndpointKind.Video]), 3);
    }

    [Fact]
    public void Job_shares_follow_the_growth_of_each_kinds_shared_count()
    {
        var learning = new DurationLearning();
        Assert.Empty(learning.JobShares);

        // The first read: every job the store has seen (here 300 images, 100 videos).
        learning.Replace([new DurationEstimate(EndpointKind.Image, Jobs(300), Now), new DurationEstimate(EndpointKind.Video, Jobs(100), Now)]);
        Assert.Equal(0.75, learning.JobShares[EndpointKind.Image], 2);
        Assert.Equal(0.25, learning.JobShares[EndpointKind.Video], 2);

        // Then only videos finish, two hundred per read: the shares move to them over a few hundred jobs.
        for (var read = 1; read <= 5; read++)
        {
            learning.Replace([new DurationEstimate(EndpointKind.Image, Jobs(300), Now), new DurationEstimate(EndpointKind.Video, Jobs(100 + (200 * read)), Now)]);
        }

        Assert.InRange(learning.JobShares[EndpointKind.Video], 0.95, 1.0);
        Assert.Equal(1.0, learning.JobShares.Values.Sum(), 6);

        // A read where nothing finished changes nothing.
        var before = learning.JobShares[EndpointKind.Video];
        learning.Replace([new DurationEstimate(EndpointKind.Image, Jobs(300), Now), new DurationEstimate(EndpointKind.Video, Jobs(1100), Now)]);
        Assert.Equal(before, learning.JobShares[EndpointKind.Video]);
    }

    /// <summary>A histogram that has seen <paramref name="count"/> jobs.</summary>
    private static DurationHistogram Jobs(long count) => DurationHistogram.FromJson("[" + string.Join(',', Enumerable.Repeat("1", DurationHistogram.Bins)) + "]", count);
}
