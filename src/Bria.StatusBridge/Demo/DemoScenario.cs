using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Demo;

/// <summary>One scripted Bria job of the demo and the command that tracks it. <paramref name="BriaPushes"/>: submitted
/// with the bridge's webhook URL, so Bria pushes the outcome; <paramref name="PushLost"/>: that push never arrives.</summary>
internal sealed record DemoScenario(string Title, JobSpec Job, EndpointKind Kind, TimeSpan? Deadline = null, bool BriaPushes = false, bool PushLost = false)
{
    public static IReadOnlyList<DemoScenario> All(string runId) =>
    [
        new("image completes after 3 s", Spec(runId, "image", JobKind.Image, 3_000, JobOutcome.Completed), EndpointKind.Image),
        new("structured prompt completes after 2 s", Spec(runId, "prompt", JobKind.StructuredPrompt, 2_000, JobOutcome.Completed), EndpointKind.StructuredPrompt),
        new("video completes after 12 s", Spec(runId, "video", JobKind.Video, 12_000, JobOutcome.Completed), EndpointKind.Video),
        new("image fails with ERROR after 4 s", Spec(runId, "error", JobKind.Image, 4_000, JobOutcome.Error), EndpointKind.Image),
        new("UNKNOWN twice, then completes", Spec(runId, "flaky", JobKind.Image, 3_000, JobOutcome.UnknownThenCompleted) with { UnknownReads = 2 }, EndpointKind.Image),
        new("UNKNOWN for good", Spec(runId, "unknown", JobKind.Image, 2_000, JobOutcome.Unknown), EndpointKind.Image),
        new("id expires: 404 NOT_FOUND", Spec(runId, "expired", JobKind.Image, 1_000, JobOutcome.Expire), EndpointKind.Image),
        new("still running at its 8 s deadline", Spec(runId, "slow", JobKind.Image, 600_000, JobOutcome.Completed), EndpointKind.Image, TimeSpan.FromSeconds(8)),
        new("image pushed by Bria after 3 s", Spec(runId, "pushed", JobKind.Image, 3_000, JobOutcome.Completed), EndpointKind.Image, BriaPushes: true),
        new("image after 2 s, Bria's push lost", Spec(runId, "push-lost", JobKind.Image, 2_000, JobOutcome.Completed), EndpointKind.Image, BriaPushes: true, PushLost: true),
    ];

    private static JobSpec Spec(string runId, string name, JobKind kind, long durationMs, JobOutcome outcome) =>
        new() { RequestId = $"demo-{runId}-{name}", EndpointKind = kind, DurationMs = durationMs, Outcome = outcome };
}
