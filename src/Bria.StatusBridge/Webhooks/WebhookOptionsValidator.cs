using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Checks what data annotations cannot: the secret's format, the schedule, the subnets, and the lease
/// against the timeout.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(options.SigningSecret) && !WebhookSecret.IsValid(options.SigningSecret))
        {
            problems.Add($"Webhooks__SigningSecret must be whsec_ followed by the base64 of {WebhookSecret.MinBytes} to {WebhookSecret.MaxBytes} random bytes.");
        }

        var schedule = options.EffectiveRetrySchedule;
        if (schedule.Count > 50)
        {
            problems.Add("Webhooks__RetrySchedule has more than 50 entries.");
        }

        for (var i = 0; i < schedule.Count; i++)
        {
            if (schedule[i] < TimeSpan.Zero || schedule[i] > TimeSpan.FromDays(7))
            {
                problems.Add($"Webhooks__RetrySchedule__{i} must be between 0 and 7 days (it is {schedule[i]}).");
            }
        }

        if (options.LeaseDuration <= options.Timeout + TimeSpan.FromSeconds(1))
        {
            problems.Add($"Webhooks__LeaseDuration ({options.LeaseDuration}) must exceed Webhooks__Timeout ({options.Timeout}) by more than a second, or a slow attempt would be sent twice.");
        }

        if (options.ConnectTimeout > options.Timeout)
        {
            problems.Add($"Webhooks__ConnectTimeout ({options.ConnectTimeout}) must not exceed Webhooks__Timeout ({options.Timeout}).");
        }

        foreach (var subnet in options.AllowedSubnets ?? [])
        {
            if (!AddressRange.TryParse(subnet, out _))
            {
                problems.Add($"Webhooks__AllowedSubnets: '{subnet}' is not a CIDR subnet such as 10.0.0.0/8 or 127.0.0.1/32.");
            }
        }

        for (var i = 0; i < (options.TrustedRootCertificates?.Length ?? 0); i++)
        {
            if (WebhookTrustedRoots.Problem(options.TrustedRootCertificates![i]) is { } problem)
            {
                problems.Add($"Webhooks__TrustedRootCertificates__{i}: {problem}");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
