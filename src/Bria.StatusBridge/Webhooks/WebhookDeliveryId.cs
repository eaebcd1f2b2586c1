using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Webhooks;

/// <summary>The <c>webhook-id</c> of a message: derived from the request, the subscriber and the destination, so that
/// every attempt, replay and re-creation after a crash carries the same id.</summary>
internal static class WebhookDeliveryId
{
    public static string ForEndpoint(string requestId, string subscriberId, string endpointId) =>
        "msg_" + DeterministicId.Create("webhook", requestId, subscriberId, "endpoint", endpointId).ToString("N");

    public static string ForUrl(string requestId, string subscriberId, Uri url) =>
        "msg_" + DeterministicId.Create("webhook", requestId, subscriberId, "url", url.ToString()).ToString("N");

    /// <summary>The fairness and concurrency key of a destination.</summary>
    public static string EndpointDestination(string endpointId) => "endpoint:" + endpointId;

    /// <summary>Per-request URLs share a key per origin (scheme, host, port).</summary>
    public static string UrlDestination(Uri url) => "url:" + url.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}
