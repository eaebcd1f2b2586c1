using Bria.StatusBridge.Streams;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Streams;

public sealed class StatusStreamHubTests
{
    private readonly StatusStreamHub _hub = new(Options.Create(new StatusStreamOptions { MaxStreamsPerPartner = 2 }));

    [Fact]
    public void A_change_wakes_only_the_streams_of_that_request()
    {
        using var watching = _hub.TryOpen("prt_a", "r-1")!;
        using var sameRequest = _hub.TryOpen("prt_b", "r-1")!;
        using var other = _hub.TryOpen("prt_a", "r-2")!;

        _hub.OnRequestsChanged(["r-1", "r-unknown"]);

        Assert.True(watching.Changed.IsCompleted);
        Assert.True(sameRequest.Changed.IsCompleted);
        Assert.False(other.Changed.IsCompleted);
    }

    [Fact]
    public void A_rearmed_stream_waits_for_the_next_change()
    {
        using var stream = _hub.TryOpen("prt_a", "r-1")!;
        _hub.OnRequestsChanged(["r-1"]);
        stream.Rearm();
        Assert.False(stream.Changed.IsCompleted);
        _hub.OnRequestsChanged(["r-1"]);
        Assert.True(stream.Changed.IsCompleted);
    }

    [Fact]
    public void The_limit_counts_per_partner_and_a_closed_stream_frees_its_slot()
    {
        var first = _hub.TryOpen("prt_a", "r-1")!;
        using var second = _hub.TryOpen("prt_a", "r-2")!;
        Assert.Null(_hub.TryOpen("prt_a", "r-3"));
        using var otherPartner = _hub.TryOpen("prt_b", "r-3");
        Assert.NotNull(otherPartner);
        Assert.Equal(3, _hub.OpenStreams);

        first.Dispose();
        first.Dispose();
        Assert.Equal(2, _hub.OpenStreams);
        using var again = _hub.TryOpen("prt_a", "r-3");
        Assert.NotNull(again);
    }

    [Fact]
    public void A_closed_stream_is_no_longer_woken()
    {
        var stream = _hub.TryOpen("prt_a", "r-1")!;
        stream.Dispose();
        _hub.OnRequestsChanged(["r-1"]);
        Assert.False(stream.Changed.IsCompleted);
    }

    [Fact]
    public void One_shared_heartbeat_ticks_every_stream_and_closing_ends_them_all()
    {
        var beat = _hub.NextHeartbeat;
        _hub.Beat();
        Assert.True(beat.IsCompleted);
        Assert.False(_hub.NextHeartbeat.IsCompleted);

        Assert.False(_hub.IsClosing);
        _hub.Close();
        Assert.True(_hub.Closing.IsCompleted);
    }

    [Fact]
    public void After_the_cross_replica_listener_reconnects_every_stream_looks_again()
    {
        using var one = _hub.TryOpen("prt_a", "r-1")!;
        using var two = _hub.TryOpen("prt_b", "r-2")!;
        _hub.WakeAll();
        Assert.True(one.Changed.IsCompleted);
        Assert.True(two.Changed.IsCompleted);
    }
}
