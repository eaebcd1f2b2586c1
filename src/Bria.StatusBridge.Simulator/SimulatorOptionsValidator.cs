using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Simulator;

/// <summary>Rejects settings the simulator cannot honour, at start rather than at the first request.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiToken))
        {
            failures.Add("Simulator:ApiToken must not be empty.");
        }

        if (options.JobLifetime <= TimeSpan.Zero)
        {
            failures.Add("Simulator:JobLifetime must be positive.");
        }

        foreach (var (key, profile) in new[] { ("Image", options.Image), ("Video", options.Video), ("StructuredPrompt", options.StructuredPrompt) })
        {
            if (profile.Problem() is { } problem)
            {
                failures.Add($"Simulator:{key}: {problem}");
            }
        }

        var rates = new[] { options.ErrorRate, options.UnknownTransientRate, options.UnknownFinalRate, options.SeedAsStringRate };
        if (rates.Any(r => r is < 0 or > 1) || options.ErrorRate + options.UnknownTransientRate + options.UnknownFinalRate > 1)
        {
            failures.Add("Simulator rates must lie in [0, 1] and ErrorRate + UnknownTransientRate + UnknownFinalRate must not exceed 1.");
        }

        if (options.UnknownReads < 0)
        {
            failures.Add("Simulator:UnknownReads must not be negative.");
        }

        if (options.RequestsPerMinute is <= 0)
        {
            failures.Add("Simulator:RequestsPerMinute must be positive when set.");
        }

        if (options.StatusLatency < TimeSpan.Zero)
        {
            failures.Add("Simulator:StatusLatency must not be negative.");
        }

        if (options.WebhookQueueCapacity < 1 || options.WebhookConcurrency < 1)
        {
            failures.Add("Simulator:WebhookQueueCapacity and Simulator:WebhookConcurrency must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
