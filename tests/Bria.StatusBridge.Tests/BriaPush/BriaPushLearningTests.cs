using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Tests.Fakes;
using Bria.StatusBridge.Tracking;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.BriaPush;

/// <summary>A push that ends a request tells the duration estimate when the job ended: at the push's arrival, a point,
/// where a poll only brackets the end between two looks.</summary>
public sealed class BriaPushLearningTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeTrackingStore _store = new();
    private readonly DurationLearning _learning = new();

    [Fact]
    public async Task A_push_that_ends_a_request_is_learned_as_the_end_of_its_job()
    {
        var id = "req-video-1";
        _time.Advance(TimeSpan.FromSeconds(95));
        _store.NextPushApplied = PushApplied.Ended;
        // The row as the push left it: polled once (running) at 40 s, ended at the push's arrival.
        _store.Views[id] = View(id, EndpointKind.Video, TrackingState.Completed, polledAt: Start.AddSeconds(40), noticedAt: _time.GetUtcNow());

        var result = await ReceiveAsync(id);

        Assert.Equal("ended", result.Result);
        var learned = Assert.Single(_learning.TakePending());
        Assert.Equal(new DurationObservation(EndpointKind.Video, 95, 95), learned);
    }

    [Fact]
    public async Task A_duplicate_push_for_a_request_already_ended_teaches_nothing()
    {
        var id = "req-image-2";
        _time.Advance(TimeSpan.FromSeconds(7));
        _store.NextPushApplied = PushApplied.AlreadyEnded;
        _store.Views[id] = View(id, EndpointKind.Image, TrackingState.Completed, polledAt: Start.AddSeconds(3), noticedAt: Start.AddSeconds(4));

        var result = await ReceiveAsync(id);

        Assert.Equal("already_ended", result.Result);
        Assert.Empty(_learning.TakePending());
    }

    private async Task<BriaPushResult> ReceiveAsync(string id)
    {
        var service = TestMetrics.BriaPush(_store, new FakeEarlyWebhookStore(), new PollWakeSignal(), _time, _learning);
        var body = Encoding.UTF8.GetBytes($$$"""{"request_id":"{{{id}}}","status":"COMPLETED","result":{"image_url":"https://temp.example/{{{id}}}.png"}}""");
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return await service.ReceiveAsync(id, timestamp, Sign(id, timestamp, body), body, CancellationToken.None);
    }

    // Bria's scheme (docs/bria-api.md): key = HMAC-SHA256(api_token, "bria-webhook-signing-v1"),
    // signature = v1=base64(HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")); TestMetrics' token is "test-token".
    private static string Sign(string id, string timestamp, byte[] body)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("test-token"), Encoding.UTF8.GetBytes("bria-webhook-signing-v1"));
        return "v1=" + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray()));
    }

    private static TrackedRequestView View(string id, EndpointKind kind, TrackingState state, DateTimeOffset polledAt, DateTimeOffset noticedAt) =>
        new(id, kind, state, Start, Start.AddHours(1), null, 1, polledAt, "InProgress", 200, null, noticedAt, []);
}
