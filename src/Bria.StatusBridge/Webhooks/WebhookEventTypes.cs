namespace Bria.StatusBridge.Webhooks;

/// <summary>The event types a webhook endpoint can subscribe to, and how they are stored (space-separated).</summary>
public static class WebhookEventTypes
{
    /// <summary>A tracked request completed with a result.</summary>
    public const string RequestCompleted = "request.completed";

    /// <summary>A tracked request failed (error, unknown, not found, timed out or cancelled).</summary>
    public const string RequestFailed = "request.failed";

    /// <summary>Every event type, in their canonical order.</summary>
    public static readonly IReadOnlyList<string> All = [RequestCompleted, RequestFailed];

    /// <summary>Checks a requested set and gives its stored form (<c>webhook_endpoints.event_types</c>); an empty set
    /// means every type.</summary>
    public static bool TryNormalize(IEnumerable<string>? types, out string stored, out string? error)
    {
        var requested = (types ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);
        var unknown = requested.Where(t => !All.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            stored = "";
            error = $"Unknown event type {string.Join(", ", unknown)}; use {string.Join(" or ", All)}.";
            return false;
        }

        stored = string.Join(' ', All.Where(t => requested.Count == 0 || requested.Contains(t)));
        error = null;
        return true;
    }

    /// <summary>The types of a stored set.</summary>
    public static IReadOnlyList<string> Parse(string? stored) =>
        (stored ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether a stored set includes <paramref name="eventType"/>.</summary>
    public static bool Matches(string? stored, string eventType) => Parse(stored).Contains(eventType, StringComparer.Ordinal);
}
