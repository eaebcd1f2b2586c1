using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Tests.Webhooks;

public sealed class WebhookPayloadTests
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly SubscriberView Subscriber = new(
        "s-1", "corr-1", "partner-1", null, new Dictionary<string, string> { ["order"] = "42" }, At);

    [Fact]
    public void Completed_payload_is_snake_case_with_the_result()
    {
        var extra = new Dictionary<string, JsonElement> { ["warning"] = JsonDocument.Parse("\"slow\"").RootElement.Clone() };
        var outcome = TerminalOutcome.Completed(new BriaResult { ImageUrl = new Uri("https://cdn.example/i.png"), Seed = 7, Extra = extra }, At);

        using var json = JsonDocument.Parse(WebhookPayload.Create("r-1", Subscriber, outcome, At.AddSeconds(1), At.AddSeconds(2)));

        var root = json.RootElement;
        Assert.Equal("request.completed", root.GetProperty("type").GetString());
        Assert.Equal("2025-06-01T12:00:02.000Z", root.GetProperty("timestamp").GetString());
        var data = root.GetProperty("data");
        Assert.Equal("r-1", data.GetProperty("request_id").GetString());
        Assert.Equal("corr-1", data.GetProperty("correlation_id").GetString());
        Assert.Equal("partner-1", data.GetProperty("partner_id").GetString());
        Assert.Equal("42", data.GetProperty("metadata").GetProperty("order").GetString());
        Assert.Equal("https://cdn.example/i.png", data.GetProperty("result").GetProperty("image_url").GetString());
        Assert.Equal(7, data.GetProperty("result").GetProperty("seed").GetInt64());
        Assert.Equal("slow", data.GetProperty("result").GetProperty("warning").GetString());
        Assert.Equal("2025-06-01T12:00:00.000Z", data.GetProperty("finished_at").GetString());
        Assert.Equal("2025-06-01T12:00:01.000Z", data.GetProperty("noticed_at").GetString());
    }

    [Fact]
    public void Failed_payload_carries_reason_and_error()
    {
        var outcome = TerminalOutcome.Failed(FailureReason.TimedOut, new BriaError { Code = "422", Message = "Unprocessable" }, At);

        using var json = JsonDocument.Parse(WebhookPayload.Create("r-2", Subscriber, outcome, At, At));

        var data = json.RootElement.GetProperty("data");
        Assert.Equal("request.failed", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("timed_out", data.GetProperty("reason").GetString());
        Assert.Equal("422", data.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void Delivery_id_is_stable_and_depends_on_the_destination()
    {
        var first = WebhookDeliveryId.ForEndpoint("r-1", "s-1", "ep_1");

        Assert.Equal(first, WebhookDeliveryId.ForEndpoint("r-1", "s-1", "ep_1"));
        Assert.NotEqual(first, WebhookDeliveryId.ForEndpoint("r-1", "s-1", "ep_2"));
        Assert.NotEqual(first, WebhookDeliveryId.ForUrl("r-1", "s-1", new Uri("https://a.example/")));
        Assert.StartsWith("msg_", first, StringComparison.Ordinal);
    }
}
