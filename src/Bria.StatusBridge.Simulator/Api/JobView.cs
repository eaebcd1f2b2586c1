using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Simulator.Api;

/// <summary>A job as the control API shows it.</summary>
internal sealed record JobView(
    string RequestId,
    Uri StatusUrl,
    JobKind EndpointKind,
    JobOutcome Outcome,
    DateTimeOffset CreatedAt,
    DateTimeOffset FinishesAt,
    DateTimeOffset ExpiresAt,
    Uri? WebhookUrl)
{
    public static JobView From(JobInfo info, HttpRequest request) => new(
        info.RequestId,
        BriaApi.StatusUrl(request, info.RequestId),
        info.EndpointKind,
        info.Outcome,
        info.CreatedAt,
        info.FinishesAt,
        info.ExpiresAt,
        info.WebhookUrl);
}
