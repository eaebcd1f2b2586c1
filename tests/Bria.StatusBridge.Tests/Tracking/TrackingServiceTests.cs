using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tests.Fakes;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.Tracking;

/// <summary>The intake on a fake clock and a store in memory: what is stored, when, and which loop is woken.</summary>
public sealed class TrackingServiceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeTrackingStore _store = new();
    private readonly PollWakeSignal _pollSignal = new();
    private readonly PollingOptions _polling = new();

    [Fact]
    public async Task A_command_without_a_deadline_gets_its_kinds_default_from_the_clock_and_a_first_poll_after_now()
    {
        await Service().TrackAsync(new TrackRequest { RequestId = "r-1", EndpointKind = EndpointKind.Video }, CancellationToken.None);

        var (command, now, firstPollAt) = Assert.Single(_store.Tracked);
        Assert.Equal(Start, now);
        Assert.Equal(Start + _polling.For(EndpointKind.Video).DefaultTimeout, command.Deadline);
        Assert.Equal(EndpointKind.Video, command.Kind);
        Assert.InRange(firstPollAt, Start + _polling.For(EndpointKind.Video).FirstDelay, command.Deadline);
    }

    [Fact]
    public async Task A_command_whose_deadline_comes_before_the_first_poll_is_looked_at_once_before_it()
    {
        var video = _polling.For(EndpointKind.Video);
        var deadline = Start + (video.FirstDelay / 2);
        Assert.True(video.FirstDelay / 2 > _polling.Learning.MinInterval, "The default video schedule starts too soon for this test.");

        await Service().TrackAsync(new TrackRequest { RequestId = "r-5", EndpointKind = EndpointKind.Video, Deadline = deadline }, CancellationToken.None);

        var (_, _, firstPollAt) = Assert.Single(_store.Tracked);
        Assert.Equal(deadline - _polling.Learning.MinInterval, firstPollAt);
    }

    [Fact]
    public async Task An_invalid_command_is_refused_and_nothing_is_stored()
    {
        var command = new TrackRequest { RequestId = "r-2", Deadline = Start - TimeSpan.FromMinutes(1) };

        await Assert.ThrowsAsync<InvalidTrackRequestException>(() => Service().TrackAsync(command, CancellationToken.None));
        Assert.Empty(_store.Tracked);
    }

    [Fact]
    public async Task Only_a_new_request_wakes_the_poll_loop()
    {
        var service = Service();
        _store.NextTrackResult = new TrackResult(false, true, TrackingState.Tracking, "s-2");
        await service.TrackAsync(new TrackRequest { RequestId = "r-3" }, CancellationToken.None);
        Assert.False(Woken());

        _store.NextTrackResult = new TrackResult(true, true, TrackingState.Tracking, "s-3");
        await service.TrackAsync(new TrackRequest { RequestId = "r-4" }, CancellationToken.None);
        Assert.True(Woken());
    }

    // A woken signal lets a wait finish at once; an unwoken one waits for the (fake, unmoving) clock.
    private bool Woken() => _pollSignal.WaitAsync(TimeSpan.FromHours(1), _time, CancellationToken.None).IsCompleted;

    private TrackingService Service() => new(
        new TrackRequestValidator(Options.Create(new TrackingOptions()), Options.Create(new BriaOptions()), _time),
        _store,
        new PollDecider(Options.Create(_polling), new Random(1)),
        _pollSignal,
        TestMetrics.BriaPush(_store, new FakeEarlyWebhookStore(), _pollSignal, _time),
        Options.Create(new TrackingOptions()),
        _time,
        NullLogger<TrackingService>.Instance);
}
