using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Bria.StatusBridge.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class WebhookTests
{
    [Fact]
    public async Task Submit_with_webhook_url_posts_the_signed_final_status_body_when_the_job_ends()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock, o => o.Image = new JobKindProfile { MinDuration = TimeSpan.FromSeconds(4), MaxDuration = TimeSpan.FromSeconds(4) });
        using var client = sim.CreateClient();

        var submit = await client.PostJsonAsync("v2/image/generate", $$"""{"prompt":"red bicycle","webhook_url":"{{receiver.Url}}"}""");
        var requestId = submit.Json.GetProperty("request_id").GetString()!;
        clock.Advance(TimeSpan.FromSeconds(3.9));
        Assert.Equal(1, sim.State.GetStats().Webhooks.Pending);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Delivered == 1);

        var webhook = receiver.Received[0];
        var status = await client.GetStatusAsync(requestId);
        Assert.Equal(HttpStatusCode.Accepted, submit.Status);
        Assert.Equal(requestId, webhook.Id);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), webhook.Timestamp);
        Assert.StartsWith("application/json", webhook.ContentType, StringComparison.Ordinal);
        Assert.True(BriaSignature.IsValid(sim.ApiToken, webhook), webhook.Signature);
        Assert.False(BriaSignature.IsValid("another-token", webhook));
        Assert.Equal(status.Bytes, webhook.Body);
        Assert.Equal("COMPLETED", JsonDocument.Parse(webhook.Body).RootElement.GetProperty("status").GetString());
        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((1, 1, 0, 0, 0), (stats.Sent, stats.Delivered, stats.Failed, stats.Lost, stats.Pending));
    }

    [Fact]
    public async Task A_job_without_webhook_url_and_an_expiring_job_push_nothing()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"plain","duration_ms":1000,"outcome":"completed"}""");
        await client.CreateJobAsync($$"""{"request_id":"gone","duration_ms":1000,"outcome":"expire","webhook_url":"{{receiver.Url}}"}""");
        await client.CreateJobAsync($$"""{"request_id":"marker","duration_ms":2000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(2));
        await EventuallyAsync(() => receiver.Received.Count == 1);

        // Webhooks go out in due order, so once the later marker arrived the earlier jobs had their chance.
        Assert.Equal("marker", Assert.Single(receiver.Received).Id);
        Assert.Equal(0, sim.State.GetStats().Webhooks.Lost);
    }

    [Fact]
    public async Task String_error_code_knob_sends_the_string_form_while_status_reads_keep_the_integer()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"string_error_code":true}""");
        await client.CreateJobAsync($$"""{"request_id":"e1","duration_ms":1000,"outcome":"error","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => receiver.Received.Count == 1);

        var body = JsonDocument.Parse(receiver.Received[0].Body).RootElement;
        Assert.Equal("ERROR", body.GetProperty("status").GetString());
        Assert.Equal("VALIDATION_ERROR", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("input image could not be decoded", body.GetProperty("error").GetProperty("details").GetString());
        Assert.True(BriaSignature.IsValid(sim.ApiToken, receiver.Received[0]));
        Assert.Equal(422, (await client.GetStatusAsync("e1")).Json.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Lost_webhooks_are_never_sent_and_counted_lost_for_the_ids_named()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"loss_rate":1,"request_ids":["lost"]}""");
        await client.CreateJobAsync($$"""{"request_id":"lost","duration_ms":1000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");
        await client.CreateJobAsync($$"""{"request_id":"kept","duration_ms":2000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(2));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks is { Delivered: 1, Lost: 1 });

        Assert.Equal("kept", Assert.Single(receiver.Received).Id);
        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((1, 1, 1), (stats.Sent, stats.Delivered, stats.Lost));
    }

    [Fact]
    public async Task Duplicated_webhooks_arrive_twice_with_the_same_id_and_body()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"duplicate_rate":1}""");
        await client.CreateJobAsync($$"""{"request_id":"d1","duration_ms":1000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Delivered == 2);

        Assert.All(receiver.Received, w => Assert.Equal("d1", w.Id));
        Assert.Equal(receiver.Received[0].Body, receiver.Received[1].Body);
        Assert.All(receiver.Received, w => Assert.True(BriaSignature.IsValid(sim.ApiToken, w)));
        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((2, 2, 1), (stats.Sent, stats.Delivered, stats.Duplicated));
    }

    [Fact]
    public async Task Delayed_webhooks_go_out_the_delay_after_the_job_ended()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"delay_ms":3000,"request_ids":["late"]}""");
        await client.CreateJobAsync($$"""{"request_id":"late","duration_ms":1000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");
        await client.CreateJobAsync($$"""{"request_id":"marker","duration_ms":2000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(2));
        await EventuallyAsync(() => receiver.Received.Count == 1);
        Assert.Equal("marker", receiver.Received[0].Id);
        Assert.Equal(Unix(2), receiver.Received[0].Timestamp);

        clock.Advance(TimeSpan.FromSeconds(2));
        await EventuallyAsync(() => receiver.Received.Count == 2);
        Assert.Equal("late", receiver.Received[1].Id);
        Assert.Equal(Unix(4), receiver.Received[1].Timestamp);
    }

    [Fact]
    public async Task Failed_attempts_are_retried_with_exponential_backoff_until_one_succeeds()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = n => n <= 2 ? 500 : 204;
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"backoff_ms":1000,"max_attempts":5}""");
        await client.CreateJobAsync($$"""{"request_id":"r1","duration_ms":1000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Failed == 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Failed == 2);
        clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, receiver.Received.Count);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Delivered == 1);

        // First attempt when the job ends (1 s), retries 1 s and 2 s after each failure.
        Assert.Equal([Unix(1), Unix(2), Unix(4)], receiver.Received.Select(w => w.Timestamp));
        Assert.All(receiver.Received, w => Assert.True(BriaSignature.IsValid(sim.ApiToken, w)));
        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((3, 1, 2, 0, 0), (stats.Sent, stats.Delivered, stats.Failed, stats.Lost, stats.Pending));
    }

    [Fact]
    public async Task Fail_first_attempts_forces_retries_against_a_healthy_receiver()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"fail_first_attempts":2,"backoff_ms":1000}""");
        await client.CreateJobAsync($$"""{"request_id":"f1","duration_ms":1000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Failed == 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Failed == 2);
        clock.Advance(TimeSpan.FromSeconds(2));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Delivered == 1);

        Assert.Equal(Unix(4), receiver.Received[0].Timestamp);
        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((1, 1, 2), (stats.Sent, stats.Delivered, stats.Failed));
    }

    [Fact]
    public async Task A_webhook_out_of_attempts_is_lost()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => 503;
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"max_attempts":2,"backoff_ms":1000}""");
        await client.CreateJobAsync($$"""{"request_id":"x1","duration_ms":1000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Failed == 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Lost == 1);

        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((2, 0, 2, 1, 0), (stats.Sent, stats.Delivered, stats.Failed, stats.Lost, stats.Pending));
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task A_receiver_that_cannot_be_reached_counts_as_a_failed_attempt()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"max_attempts":1}""");
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        await client.CreateJobAsync("""{"request_id":"n1","duration_ms":0,"outcome":"completed","webhook_url":"http://127.0.0.1:1/hook"}""");

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Lost == 1);

        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((1, 0, 1, 1), (stats.Sent, stats.Delivered, stats.Failed, stats.Lost));
    }

    [Fact]
    public async Task Bad_signature_knob_signs_with_a_wrong_key()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/webhooks", """{"bad_signature_rate":1}""");
        await client.CreateJobAsync($$"""{"request_id":"b1","duration_ms":1000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");

        clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks is { Delivered: 1, BadSignatures: 1 });

        Assert.StartsWith("v1=", receiver.Received[0].Signature, StringComparison.Ordinal);
        Assert.False(BriaSignature.IsValid(sim.ApiToken, receiver.Received[0]));
        Assert.Equal(1, sim.State.GetStats().Webhooks.BadSignatures);
    }

    [Fact]
    public async Task A_full_webhook_queue_counts_new_webhooks_lost()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock, o => o.WebhookQueueCapacity = 2);
        using var client = sim.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            await client.CreateJobAsync($$"""{"request_id":"q{{i}}","duration_ms":60000,"outcome":"completed","webhook_url":"http://127.0.0.1:1/hook"}""");
        }

        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((2, 1), (stats.Pending, stats.Lost));
    }

    [Fact]
    public async Task Reset_statistics_clear_the_webhook_counters_and_clearing_jobs_drops_pending_webhooks()
    {
        var clock = SimulatorKit.NewClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync($$"""{"request_id":"s1","duration_ms":0,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");
        await client.CreateJobAsync($$"""{"request_id":"s2","duration_ms":60000,"outcome":"completed","webhook_url":"{{receiver.Url}}"}""");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await EventuallyAsync(() => sim.State.GetStats().Webhooks.Delivered == 1);

        var json = (await client.GetAsync(new Uri("simulator/stats?requests=false", UriKind.Relative))).Content;
        var webhooks = JsonDocument.Parse(await json.ReadAsStringAsync()).RootElement.GetProperty("webhooks");
        Assert.Equal(1, webhooks.GetProperty("sent").GetInt32());
        Assert.Equal(1, webhooks.GetProperty("pending").GetInt32());

        await client.DeleteAsync(new Uri("simulator/stats", UriKind.Relative));
        await client.DeleteAsync(new Uri("simulator/jobs", UriKind.Relative));
        var stats = sim.State.GetStats().Webhooks;
        Assert.Equal((0, 0, 0), (stats.Sent, stats.Delivered, stats.Pending));
    }

    [Theory]
    [InlineData("""{"loss_rate":1.5}""", "loss_rate")]
    [InlineData("""{"max_attempts":0}""", "max_attempts")]
    [InlineData("""{"delay_ms":-1}""", "delay_ms")]
    [InlineData("""{"lose":1}""", "lose")]
    public async Task Invalid_webhook_settings_are_refused_with_a_problem(string body, string mentioned)
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();

        var answer = await client.PutJsonAsync("simulator/webhooks", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(mentioned, answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(new Bria.StatusBridge.Simulator.Webhooks.WebhookSettings(), sim.State.WebhookSettings);
    }

    [Fact]
    public async Task Webhook_settings_read_back_as_put_and_delete_restores_Bria_policy()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();

        await client.PutJsonAsync("simulator/webhooks", """{"loss_rate":0.1,"duplicate_rate":0.2,"request_ids":["a"]}""");
        var read = await client.GetFromJsonOrFailAsync<JsonElement>("simulator/webhooks");
        await client.DeleteAsync(new Uri("simulator/webhooks", UriKind.Relative));
        var cleared = await client.GetFromJsonOrFailAsync<JsonElement>("simulator/webhooks");

        Assert.Equal(0.1, read.GetProperty("loss_rate").GetDouble());
        Assert.Equal(0.2, read.GetProperty("duplicate_rate").GetDouble());
        Assert.Equal(5, read.GetProperty("max_attempts").GetInt32());
        Assert.Equal(0, cleared.GetProperty("loss_rate").GetDouble());
        Assert.Equal(180_000, cleared.GetProperty("backoff_ms").GetInt64());
    }

    [Theory]
    [InlineData("\"ftp://example.com/hook\"")]
    [InlineData("\"/relative/hook\"")]
    [InlineData("42")]
    public async Task A_submit_with_an_unusable_webhook_url_gets_400_in_Bria_envelope(string url)
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();

        var answer = await client.PostJsonAsync("v2/image/generate", $$"""{"webhook_url":{{url}}}""");
        var scripted = await client.PostJsonAsync("simulator/jobs", $$"""{"request_id":"w","webhook_url":{{url}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("webhook_url", answer.Json.GetProperty("error").GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, scripted.Status);
        Assert.Equal(0, sim.State.JobCount);
    }

    private static string Unix(double secondsAfterStart) =>
        (SimulatorKit.Start + TimeSpan.FromSeconds(secondsAfterStart)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Waits (real time, bounded) for something the sender does on its own thread.</summary>
    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
