using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;

namespace Bria.StatusBridge.BriaPush;

/// <summary>What a webhook body from Bria means for its request, read by the same parser as a poll answer: a
/// terminal outcome (COMPLETED, ERROR), a hint to poll now (IN_PROGRESS, UNKNOWN: whether an UNKNOWN is final is
/// the poll schedule's call, through its tolerance), or a body the bridge cannot read. Pure.</summary>
internal sealed record PushDecision(string? RequestId, TerminalOutcome? Outcome, bool Readable)
{
    /// <summary>Whether the body ends its request.</summary>
    public bool Terminal => Outcome is not null;

    /// <summary>Reads <paramref name="body"/>, received at <paramref name="receivedAt"/> (the outcome's finish time).</summary>
    public static PushDecision Read(string body, DateTimeOffset receivedAt)
    {
        var requestId = RequestIdOf(body);
        return BriaStatusParser.ParseStatusBody(200, body) switch
        {
            StatusObservation.Completed completed => new(requestId, TerminalOutcome.Completed(completed.Result, receivedAt), true),
            StatusObservation.Failed failed => new(requestId, TerminalOutcome.Failed(FailureReason.Error, failed.Error, receivedAt), true),
            StatusObservation.InProgress or StatusObservation.Unknown => new(requestId, null, true),
            _ => new(requestId, null, false),
        };
    }

    private static string? RequestIdOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("request_id", out var id)
                && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
