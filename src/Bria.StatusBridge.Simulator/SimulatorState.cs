using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bria.StatusBridge.Simulator.Faults;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Simulator.Stats;
using Bria.StatusBridge.Simulator.Webhooks;

namespace Bria.StatusBridge.Simulator;

/// <summary>The simulator's in-memory world: jobs, faults and call statistics. Safe for concurrent use.</summary>
public sealed class SimulatorState
{
    private readonly SimulatorOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SimulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _randomLock = new();
    private readonly Random _random;
    private readonly FaultInjector _faults;
    private readonly StatusCallRecorder _recorder = new();
    private WebhookSettings _webhookSettings = new();

    internal SimulatorState(SimulatorOptions options, TimeProvider time, ILogger<SimulatorState> logger)
    {
        _options = options;
        _logger = logger;
        Time = time;
        var seed = options.RandomSeed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        Seed = seed;
        _random = new Random(seed);
        _faults = new FaultInjector(InitialFaults(), unchecked(seed + 1));
        WebhookQueue = new WebhookQueue(options.WebhookQueueCapacity);
    }

    /// <summary>The clock every decision uses.</summary>
    public TimeProvider Time { get; }

    /// <summary>The number of jobs held.</summary>
    public int JobCount => _jobs.Count;

    /// <summary>The faults in force on <c>/v2/status</c>.</summary>
    public FaultSettings Faults => _faults.Settings;

    /// <summary>Creates a scripted job. Throws <see cref="ArgumentException"/> for an invalid spec or a taken id.</summary>
    public JobInfo CreateJob(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (SpecProblem(spec) is { } problem)
        {
            throw new ArgumentException(problem, nameof(spec));
        }

        return TryCreate(spec) ?? throw new ArgumentException($"Request id '{spec.RequestId}' already exists.", nameof(spec));
    }

    /// <summary>Looks a job up by request id.</summary>
    public bool TryGetJob(string requestId, out JobInfo? info)
    {
        info = _jobs.TryGetValue(requestId, out var job) ? job.Info : null;
        return info is not null;
    }

    /// <summary>Replaces the faults in force; the budget window restarts.</summary>
    public void SetFaults(FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        _faults.Replace(settings);
        SimulatorLog.FaultsChanged(_logger, settings.StatusCode, settings.Rate, settings.LatencyMs, settings.RequestsPerMinute);
    }

    /// <summary>Removes every fault, the latency and the budget.</summary>
    public void ClearFaults() => SetFaults(new FaultSettings());

    /// <summary>How Bria's own webhooks are delivered (loss, duplicates, delay, retries, signatures).</summary>
    public WebhookSettings WebhookSettings => Volatile.Read(ref _webhookSettings);

    /// <summary>A snapshot of the status calls served and the webhooks sent since start or the last reset.</summary>
    public SimulatorStats GetStats() => _recorder.Snapshot(_jobs.Values.Select(j => j.Info)) with
    {
        Webhooks = WebhookRecorder.Snapshot(WebhookQueue.Count),
    };

    /// <summary>Clears the call and webhook statistics; jobs and pending webhooks stay.</summary>
    public void ResetStats()
    {
        _recorder.Reset();
        WebhookRecorder.Reset();
        SimulatorLog.StatsReset(_logger);
    }

    /// <summary>Removes every job (their ids then answer 404) and every webhook not yet delivered.</summary>
    public void ClearJobs()
    {
        var count = _jobs.Count;
        _jobs.Clear();
        WebhookQueue.Clear();
        SimulatorLog.JobsCleared(_logger, count);
    }

    /// <summary>Replaces the webhook settings; they apply to every attempt from now on.</summary>
    public void SetWebhookSettings(WebhookSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        Volatile.Write(ref _webhookSettings, settings);
        SimulatorLog.WebhookSettingsChanged(_logger, settings.LossRate, settings.DuplicateRate, settings.DelayMs, settings.FailFirstAttempts, settings.MaxAttempts, settings.BadSignatureRate, settings.StringErrorCode);
    }

    /// <summary>Back to Bria's reported policy: every webhook sent, retried on failure, correctly signed.</summary>
    public void ClearWebhookSettings() => SetWebhookSettings(new WebhookSettings());

    /// <summary>The seed of this run's draws (configured, or drawn at start); webhook knobs draw from it too.</summary>
    internal int Seed { get; }

    internal WebhookQueue WebhookQueue { get; }

    internal WebhookRecorder WebhookRecorder { get; } = new();

    internal SimulatedJob? FindJob(string requestId) => _jobs.TryGetValue(requestId, out var job) ? job : null;

    internal static string? SpecProblem(JobSpec spec)
    {
        if (spec.DurationMs is < 0 || spec.UnknownReads is < 0 || spec.LifetimeMs is <= 0)
        {
            return "duration_ms and unknown_reads must not be negative; lifetime_ms must be positive.";
        }

        if (spec.WebhookUrl is { } url && !IsWebhookUrl(url))
        {
            return "webhook_url must be an absolute http or https URL.";
        }

        return spec.RequestId is { Length: 0 } || spec.RequestId?.Contains('/', StringComparison.Ordinal) == true
            ? "request_id must be non-empty and free of '/'."
            : null;
    }

    /// <summary>Creates a job, or returns null when its request id is taken.</summary>
    internal JobInfo? TryCreate(JobSpec spec)
    {
        var now = Time.GetUtcNow();
        var kind = spec.EndpointKind ?? JobKind.Image;
        long seed;
        bool seedAsString;
        TimeSpan duration;
        JobOutcome outcome;
        string requestId;
        lock (_randomLock)
        {
            // Every draw happens even when the spec fixes the value, so one scripted field does not shift
            // the random sequence of the rest of a seeded run.
            var profile = Profile(kind);
            var drawnDuration = profile.Draw(_random.NextDouble());
            var drawnOutcome = DrawOutcome(_random.NextDouble());
            var drawnSeed = _random.NextInt64(1, 100_000);
            var drawnSeedAsString = _random.NextDouble() < _options.SeedAsStringRate;
            var drawnId = NewRequestId();

            duration = spec.DurationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : drawnDuration;
            outcome = spec.Outcome ?? drawnOutcome;
            seed = spec.Seed ?? drawnSeed;
            seedAsString = spec.SeedAsString ?? drawnSeedAsString;
            requestId = spec.RequestId ?? drawnId;
        }

        var finishesAt = now + duration;
        var lifetime = spec.LifetimeMs is { } lifetimeMs ? TimeSpan.FromMilliseconds(lifetimeMs) : _options.JobLifetime;
        var expiresAt = outcome == JobOutcome.Expire ? finishesAt : finishesAt + lifetime;
        var info = new JobInfo(requestId, kind, outcome, now, finishesAt, expiresAt, spec.WebhookUrl);
        var result = JobBodies.Result(kind, requestId, _options.ResultBaseUrl, seed, seedAsString, spec.Prompt, spec.ExtraFields);
        var job = new SimulatedJob(info, result, spec.Error, spec.TopLevelFields, spec.UnknownReads ?? _options.UnknownReads);
        if (!_jobs.TryAdd(requestId, job))
        {
            return null;
        }

        SimulatorLog.JobCreated(_logger, requestId, kind, outcome, finishesAt);

        // An id that disappears (expire) never reaches a terminal state, so Bria has nothing to push for it.
        if (spec.WebhookUrl is { } webhookUrl && outcome != JobOutcome.Expire
            && !WebhookQueue.TryAdd(new WebhookAttempt(requestId, webhookUrl, finishesAt, Attempt: 1, Duplicate: false)))
        {
            WebhookRecorder.Lost();
            SimulatorLog.WebhookQueueFull(_logger, requestId);
        }

        return info;
    }

    internal static bool IsWebhookUrl(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    internal StatusAdmission AdmitStatusCall(string token, string requestId, DateTimeOffset now, string? caller = null)
    {
        _recorder.RecordCall(requestId, now, caller);
        return _faults.Admit(token, requestId, now);
    }

    internal JobRead ReadJob(string requestId, DateTimeOffset now) =>
        _jobs.TryGetValue(requestId, out var job)
            ? job.Read(now)
            : new JobRead(StatusCodes.Status404NotFound, JobBodies.NotFound, IsTerminal: true);

    internal void RecordAnswer(string requestId, int statusCode, bool isTerminal, DateTimeOffset now) =>
        _recorder.RecordAnswer(requestId, statusCode, isTerminal, now);

    internal void RecordUnauthorized() => _recorder.RecordUnauthorized();

    private FaultSettings InitialFaults() => new()
    {
        LatencyMs = (int)_options.StatusLatency.TotalMilliseconds,
        RequestsPerMinute = _options.RequestsPerMinute,
        RateLimitRetryAfter = _options.RateLimitRetryAfter,
    };

    private JobKindProfile Profile(JobKind kind) => kind switch
    {
        JobKind.Video => _options.Video,
        JobKind.StructuredPrompt => _options.StructuredPrompt,
        _ => _options.Image,
    };

    private JobOutcome DrawOutcome(double draw)
    {
        if (draw < _options.ErrorRate)
        {
            return JobOutcome.Error;
        }

        draw -= _options.ErrorRate;
        if (draw < _options.UnknownTransientRate)
        {
            return JobOutcome.UnknownThenCompleted;
        }

        draw -= _options.UnknownTransientRate;
        return draw < _options.UnknownFinalRate ? JobOutcome.Unknown : JobOutcome.Completed;
    }

    // Ids repeat only when a seed asks for an equal run; otherwise they are unique, across restarts too.
    private string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (_options.RandomSeed is null)
        {
            RandomNumberGenerator.Fill(bytes);
        }
        else
        {
            _random.NextBytes(bytes);
        }

        return Convert.ToHexStringLower(bytes);
    }
}
