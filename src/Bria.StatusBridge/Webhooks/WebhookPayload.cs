using System.Text;
using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Webhooks;

/// <summary>The webhook body, <c>{"type", "timestamp", "data"}</c> in snake_case, built once when the outcome is
/// stored so that every attempt sends the same bytes.</summary>
internal static class WebhookPayload
{
    public static string EventType(TerminalOutcome outcome) =>
        outcome.Reason is null ? WebhookEventTypes.RequestCompleted : WebhookEventTypes.RequestFailed;

    public static string Create(
        string requestId,
        SubscriberView subscriber,
        TerminalOutcome outcome,
        DateTimeOffset noticedAt,
        DateTimeOffset timestamp)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", EventType(outcome));
            json.WriteString("timestamp", WireNames.Time(timestamp));
            json.WriteStartObject("data");
            json.WriteString("request_id", requestId);
            WriteStringOrNull(json, "correlation_id", subscriber.CorrelationId);
            WriteStringOrNull(json, "partner_id", subscriber.PartnerId);
            json.WriteStartObject("metadata");
            foreach (var (key, value) in subscriber.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            if (outcome.Reason is null)
            {
                WriteResult(json, outcome.Result ?? new BriaResult());
            }
            else
            {
                json.WriteString("reason", WireNames.Of(outcome.Reason.Value));
                WriteError(json, outcome.Error);
            }

            json.WriteString("finished_at", WireNames.Time(outcome.FinishedAt));
            json.WriteString("noticed_at", WireNames.Time(noticedAt));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteResult(Utf8JsonWriter json, BriaResult result)
    {
        json.WriteStartObject("result");
        var known = new HashSet<string>(StringComparer.Ordinal);
        void Field(string name, string? value)
        {
            known.Add(name);
            if (value is not null)
            {
                json.WriteString(name, value);
            }
        }

        Field("image_url", result.ImageUrl?.ToString());
        Field("video_url", result.VideoUrl?.ToString());
        Field("structured_prompt", result.StructuredPrompt);
        known.Add("seed");
        if (result.Seed is { } seed)
        {
            json.WriteNumber("seed", seed);
        }

        Field("prompt", result.Prompt);
        Field("refined_prompt", result.RefinedPrompt);
        // Bria's other fields, as Bria sent them (their names are already Bria's snake_case).
        foreach (var (name, value) in result.Extra ?? new Dictionary<string, JsonElement>())
        {
            if (known.Add(name))
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }
        }

        json.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter json, BriaError? error)
    {
        if (error is null)
        {
            json.WriteNull("error");
            return;
        }

        json.WriteStartObject("error");
        WriteStringOrNull(json, "code", error.Code);
        WriteStringOrNull(json, "message", error.Message);
        WriteStringOrNull(json, "details", error.Details);
        json.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
