namespace Bria.StatusBridge.Simulator;

/// <summary>Settings of the simulator (configuration section <c>Simulator</c>).</summary>
public sealed class SimulatorOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Simulator";

    /// <summary>The only value of the <c>api_token</c> header that Bria endpoints accept.</summary>
    public string ApiToken { get; set; } = "sim-token";

    /// <summary>Seed of the random draws (request ids, durations, outcomes, seeds, faults): equal seeds, equal runs.
    /// Null (the default of the simulator process) draws afresh on every start, and request ids are unique across
    /// restarts, as Bria's are: a bridge with a persistent store never meets an id it tracked before. Tests set one
    /// (<see cref="SimulatorHost"/> does, unless told otherwise).</summary>
    public int? RandomSeed { get; set; }

    /// <summary>How long a request id stays readable after its job finished; later reads answer 404.</summary>
    public TimeSpan JobLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Durations of image jobs (submitted through <c>/v2/image/*</c>).</summary>
    public JobKindProfile Image { get; set; } = new() { MinDuration = TimeSpan.FromSeconds(2), MaxDuration = TimeSpan.FromSeconds(10) };

    /// <summary>Durations of video jobs (submitted through <c>/v2/video/*</c>).</summary>
    public JobKindProfile Video { get; set; } = new() { MinDuration = TimeSpan.FromMinutes(1), MaxDuration = TimeSpan.FromMinutes(5) };

    /// <summary>Durations of structured prompt jobs (<c>/v2/structured_prompt/*</c>, <c>/v2/structured_instruction/*</c>).</summary>
    public JobKindProfile StructuredPrompt { get; set; } = new() { MinDuration = TimeSpan.FromSeconds(1), MaxDuration = TimeSpan.FromSeconds(5) };

    /// <summary>Share of drawn jobs that end in <c>ERROR</c>.</summary>
    public double ErrorRate { get; set; } = 0.05;

    /// <summary>Share of drawn jobs that answer <c>UNKNOWN</c> for <see cref="UnknownReads"/> reads, then <c>COMPLETED</c>.</summary>
    public double UnknownTransientRate { get; set; } = 0.02;

    /// <summary>Share of drawn jobs that answer <c>UNKNOWN</c> for good.</summary>
    public double UnknownFinalRate { get; set; } = 0.01;

    /// <summary>How many reads a transient <c>UNKNOWN</c> lasts before <c>COMPLETED</c>.</summary>
    public int UnknownReads { get; set; } = 2;

    /// <summary>Share of drawn results whose <c>seed</c> is a string of digits, as in Bria's published examples.</summary>
    public double SeedAsStringRate { get; set; } = 0.5;

    /// <summary>Base of the result URLs (<c>image_url</c>, <c>video_url</c>); nothing is served there.</summary>
    public Uri ResultBaseUrl { get; set; } = new("https://temp.example/");

    /// <summary>Requests per minute allowed per token on <c>/v2/status</c> at start; null means no budget.
    /// <c>PUT /simulator/faults</c> replaces it at run time.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Whether a 429 from the budget carries <c>Retry-After</c> (seconds until a call leaves the window).</summary>
    public bool RateLimitRetryAfter { get; set; } = true;

    /// <summary>Delay added to every <c>/v2/status</c> answer at start.</summary>
    public TimeSpan StatusLatency { get; set; } = TimeSpan.Zero;

    /// <summary>The most webhook attempts waiting at once (jobs with a <c>webhook_url</c> not yet finished, delays,
    /// retries); beyond it new webhooks are counted lost rather than held.</summary>
    public int WebhookQueueCapacity { get; set; } = 100_000;

    /// <summary>Webhook POSTs in flight at once.</summary>
    public int WebhookConcurrency { get; set; } = 16;

    /// <summary>The clock; null means <see cref="TimeProvider.System"/>. Tests pass a fake clock here
    /// (or replace the <see cref="System.TimeProvider"/> service).</summary>
    public TimeProvider? TimeProvider { get; set; }
}
