using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bria.StatusBridge.Persistence;

/// <summary>One poll result that keeps a request tracking, as a JSON row of the batch reschedule statement.</summary>
internal sealed record RescheduleRow(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("next_poll_at")] long NextPollAt,
    [property: JsonPropertyName("early_poll_at")] long? EarlyPollAt,
    [property: JsonPropertyName("polls")] int Polls,
    [property: JsonPropertyName("consecutive_unknown")] int ConsecutiveUnknown,
    [property: JsonPropertyName("consecutive_transient")] int ConsecutiveTransient,
    [property: JsonPropertyName("first_not_found_at")] long? FirstNotFoundAt,
    [property: JsonPropertyName("observed_at")] long ObservedAt,
    [property: JsonPropertyName("observation")] string? Observation,
    [property: JsonPropertyName("http_status")] int? HttpStatus)
{
    public static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
}
