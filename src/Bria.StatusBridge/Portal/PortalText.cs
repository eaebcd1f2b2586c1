using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Portal;

/// <summary>Sentences the portal shows for the services' outcomes.</summary>
internal static class PortalText
{
    public static string Refusal(UrlCheckResult refusal) =>
        $"This URL is refused ({refusal.Rule}): {refusal.Message} Use a public URL, or ask your operator to allow-list the subnet.";

    public static string Disabled(Webhooks.EndpointRecord endpoint) =>
        $"The endpoint is disabled ({endpoint.DisabledReason ?? "no reason recorded"}): enable it first.";
}
