using System.Text.Json.Nodes;

namespace Bria.StatusBridge.Simulator.Jobs;

/// <summary>A scripted job (<c>POST /simulator/jobs</c>); every field left out is drawn as for a submit.</summary>
public sealed record JobSpec
{
    /// <summary>The request id; generated when absent.</summary>
    public string? RequestId { get; init; }

    /// <summary>The endpoint kind; image when absent.</summary>
    public JobKind? EndpointKind { get; init; }

    /// <summary>Milliseconds from creation until the job leaves <c>IN_PROGRESS</c>; drawn from the kind's profile when absent.</summary>
    public long? DurationMs { get; init; }

    /// <summary>How the job ends; drawn from the configured rates when absent.</summary>
    public JobOutcome? Outcome { get; init; }

    /// <summary>Reads of <c>UNKNOWN</c> before <c>COMPLETED</c>, for <see cref="JobOutcome.UnknownThenCompleted"/>.</summary>
    public int? UnknownReads { get; init; }

    /// <summary>Milliseconds the id stays readable after the job finished; the configured lifetime when absent.</summary>
    public long? LifetimeMs { get; init; }

    /// <summary>Whether <c>seed</c> is sent as a string (true) or an integer (false); drawn when absent.</summary>
    public bool? SeedAsString { get; init; }

    /// <summary>The seed reported in the result; drawn when absent.</summary>
    public long? Seed { get; init; }

    /// <summary>The prompt echoed in image results.</summary>
    public string? Prompt { get; init; }

    /// <summary>Fields merged into the <c>result</c> object (for example <c>mask_url</c>).</summary>
    public JsonObject? ExtraFields { get; init; }

    /// <summary>Fields added to the top level of terminal bodies (for example <c>warning</c>).</summary>
    public JsonObject? TopLevelFields { get; init; }

    /// <summary>Where Bria POSTs its own signed webhook when the job ends (as <c>webhook_url</c> on a submit); none when absent.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>The error object of <c>ERROR</c> and <c>UNKNOWN</c> bodies; Bria's usual one when absent.</summary>
    public JsonObject? Error { get; init; }
}
