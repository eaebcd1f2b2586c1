namespace Bria.StatusBridge.Retention;

/// <summary>Decides what the purge may remove: the retention horizon of each kind of history, and how long the loop
/// sleeps after a sweep. Pure: tested without a database.</summary>
internal static class RetentionPolicy
{
    /// <summary>The kinds, in the order a sweep purges them (answers before the deliveries that hold them).</summary>
    public static IReadOnlyList<RetentionKind> Kinds { get; } =
        [RetentionKind.SentOutbox, RetentionKind.AttemptAnswers, RetentionKind.Deliveries, RetentionKind.FinishedRequests, RetentionKind.EarlyWebhooks];

    /// <summary>How long <paramref name="kind"/> is kept.</summary>
    public static TimeSpan PeriodOf(RetentionOptions options, RetentionKind kind) => kind switch
    {
        RetentionKind.FinishedRequests => options.FinishedRequests,
        RetentionKind.SentOutbox => options.SentOutbox,
        RetentionKind.Deliveries => options.Deliveries,
        RetentionKind.AttemptAnswers => options.AttemptAnswers,
        RetentionKind.EarlyWebhooks => options.EarlyWebhooks,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of history."),
    };

    /// <summary>Rows of <paramref name="kind"/> that finished before this instant may go (Unix milliseconds).</summary>
    public static long HorizonOf(RetentionOptions options, RetentionKind kind, DateTimeOffset now) =>
        (now - PeriodOf(options, kind)).ToUnixTimeMilliseconds();

    /// <summary>The wait before the next sweep: the batch pause while some kind filled a whole batch (a backlog), else
    /// the interval jittered by up to a fifth either way (<paramref name="random"/> in [0, 1)) so replicas spread out.</summary>
    public static TimeSpan NextWait(RetentionOptions options, bool backlog, double random) =>
        backlog ? options.BatchPause : options.Interval * (0.8 + (0.4 * random));

    /// <summary>The period as people say it: "30 days", "12 hours", "1 day 6 hours".</summary>
    public static string Describe(TimeSpan period)
    {
        var parts = new List<string>();
        Add(parts, period.Days, "day");
        Add(parts, period.Hours, "hour");
        Add(parts, period.Minutes, "minute");
        Add(parts, period.Seconds, "second");
        return parts.Count == 0 ? "0 seconds" : string.Join(' ', parts);
    }

    private static void Add(List<string> parts, int value, string unit)
    {
        if (value > 0)
        {
            parts.Add(value == 1 ? $"1 {unit}" : $"{value} {unit}s");
        }
    }
}
