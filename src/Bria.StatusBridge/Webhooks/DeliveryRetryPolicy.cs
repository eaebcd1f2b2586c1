using System.Net;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Decides what follows an attempt: only 2xx delivers; 410 is final; anything else (3xx included) waits for
/// the next step of the schedule, ±jitter. 429, 502, 503 and 504 honour <c>Retry-After</c>, never sooner than the
/// schedule and never later than its longest step.</summary>
internal sealed class DeliveryRetryPolicy(IOptions<WebhookOptions> options, Random? random = null)
{
    private static readonly HashSet<int> ThrottleStatuses =
        [(int)HttpStatusCode.TooManyRequests, (int)HttpStatusCode.BadGateway, (int)HttpStatusCode.ServiceUnavailable, (int)HttpStatusCode.GatewayTimeout];

    private readonly IReadOnlyList<TimeSpan> _schedule = options.Value.EffectiveRetrySchedule;
    private readonly TimeSpan _longestStep = options.Value.EffectiveRetrySchedule.Max();
    private readonly double _jitter = options.Value.Jitter;
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The attempts a delivery gets unless a manual retry allows more.</summary>
    public int MaxAttempts => _schedule.Count;

    public DeliveryDecision Decide(ClaimedDelivery delivery, AttemptResult attempt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Succeeded)
        {
            return DeliveryDecision.Delivered;
        }

        if (attempt.StatusCode == (int)HttpStatusCode.Gone)
        {
            return DeliveryDecision.Gone;
        }

        var made = delivery.Attempts + 1;
        if (made >= (delivery.MaxAttempts ?? MaxAttempts))
        {
            return DeliveryDecision.Exhausted;
        }

        return DeliveryDecision.RetryAt(now + DelayAfter(made, attempt.StatusCode, attempt.RetryAfter));
    }

    /// <summary>The wait after the <paramref name="attemptsMade"/>-th failed attempt.</summary>
    public TimeSpan DelayAfter(int attemptsMade, int? statusCode, TimeSpan? retryAfter)
    {
        var step = _schedule[Math.Clamp(attemptsMade, 0, _schedule.Count - 1)];
        var delay = Jittered(step);
        if (statusCode is { } status && ThrottleStatuses.Contains(status) && retryAfter is { } asked)
        {
            var honoured = asked > _longestStep ? _longestStep : asked;
            delay = honoured > delay ? honoured : delay;
        }

        return delay;
    }

    private TimeSpan Jittered(TimeSpan step)
    {
        if (_jitter <= 0 || step <= TimeSpan.Zero)
        {
            return step;
        }

        double sample;
        lock (_random)
        {
            // A seeded Random (tests) is not thread-safe; attempts finish concurrently.
            sample = _random.NextDouble();
        }

        return step * (1 + (((sample * 2) - 1) * _jitter));
    }
}
