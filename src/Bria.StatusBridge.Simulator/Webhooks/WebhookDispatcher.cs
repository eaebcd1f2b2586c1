using System.Net.Http.Headers;
using Bria.StatusBridge.Simulator.Jobs;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Simulator.Webhooks;

/// <summary>Sends Bria's own webhooks when they are due: signs the job's final status body, POSTs it, and on failure
/// schedules the next attempt with exponential backoff, all on the simulator's clock.</summary>
internal sealed class WebhookDispatcher : IDisposable
{
    public const string HttpClientName = "bria-webhooks";
    private const int TakeAtOnce = 256;

    private readonly SimulatorState _state;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly byte[] _key;
    private readonly byte[] _wrongKey;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _randomLock = new();
    private readonly Random _random;

    public WebhookDispatcher(SimulatorState state, IHttpClientFactory clients, IOptions<SimulatorOptions> options, ILogger<WebhookDispatcher> logger)
    {
        _state = state;
        _clients = clients;
        _time = state.Time;
        _logger = logger;
        _key = WebhookSigner.DeriveKey(options.Value.ApiToken);
        _wrongKey = WebhookSigner.DeriveKey(options.Value.ApiToken + "-not-the-token");
        _slots = new SemaphoreSlim(options.Value.WebhookConcurrency);
        _random = new Random(unchecked(state.Seed + 2));
    }

    /// <summary>Starts every due attempt (at most <see cref="SimulatorOptions.WebhookConcurrency"/> in flight), then
    /// waits until the next is due or a new one arrives.</summary>
    public async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        var due = _state.WebhookQueue.TakeDue(_time.GetUtcNow(), TakeAtOnce, out var next);
        foreach (var attempt in due)
        {
            await _slots.WaitAsync(stoppingToken);
            _ = Task.Run(() => ProcessInSlotAsync(attempt, stoppingToken), CancellationToken.None);
        }

        if (due.Count < TakeAtOnce)
        {
            await _state.WebhookQueue.WaitAsync(next, _time, stoppingToken);
        }
    }

    private async Task ProcessInSlotAsync(WebhookAttempt attempt, CancellationToken stoppingToken)
    {
        try
        {
            await ProcessAsync(attempt, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The simulator is stopping: pending webhooks go with it, as everything else it holds in memory.
        }
#pragma warning disable CA1031 // One attempt's surprise must not stop the sender: it counts as a failed attempt.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            SimulatorLog.WebhookLoopFailed(_logger, exception);
            Fail(attempt, _state.WebhookSettings, "unexpected error");
        }
        finally
        {
            try
            {
                _slots.Release();
            }
            catch (ObjectDisposedException)
            {
                // The simulator stopped and disposed the dispatcher while this attempt was winding down.
            }
        }
    }

    internal async Task ProcessAsync(WebhookAttempt attempt, CancellationToken stoppingToken)
    {
        // A job removed since (DELETE /simulator/jobs) has nothing left to push.
        if (_state.FindJob(attempt.RequestId) is not { } job)
        {
            return;
        }

        var settings = _state.WebhookSettings;
        var applies = settings.Applies(attempt.RequestId);
        var firstOfDelivery = attempt.Attempt == 1 && !attempt.Duplicate;
        if (firstOfDelivery && applies && settings.DelayMs > 0)
        {
            var delayedUntil = job.Info.FinishesAt + TimeSpan.FromMilliseconds(settings.DelayMs);
            if (attempt.DueAt < delayedUntil)
            {
                Requeue(attempt with { DueAt = delayedUntil });
                return;
            }
        }

        if (firstOfDelivery && applies && Draw() < settings.LossRate)
        {
            Lose(attempt, "dropped (loss_rate)");
            return;
        }

        if (applies && attempt.Attempt <= settings.FailFirstAttempts)
        {
            Fail(attempt, settings, "failed on the way (fail_first_attempts)");
            return;
        }

        var body = job.WebhookBody();
        if (settings.StringErrorCode)
        {
            body = JobBodies.WithStringErrorCode(body);
        }

        var badSignature = applies && settings.BadSignatureRate > 0 && Draw() < settings.BadSignatureRate;
        var status = await PostAsync(attempt, body, badSignature ? _wrongKey : _key, settings, stoppingToken);
        _state.WebhookRecorder.Sent();
        if (badSignature)
        {
            _state.WebhookRecorder.BadSignature();
        }

        if (status is >= 200 and < 300)
        {
            _state.WebhookRecorder.Delivered();
            SimulatorLog.WebhookDelivered(_logger, attempt.RequestId, attempt.Attempt, status.Value);
            if (!attempt.Duplicate && applies && settings.DuplicateRate > 0 && Draw() < settings.DuplicateRate)
            {
                _state.WebhookRecorder.Duplicated();
                Requeue(new WebhookAttempt(attempt.RequestId, attempt.Url, _time.GetUtcNow(), Attempt: 1, Duplicate: true));
            }

            return;
        }

        Fail(attempt, settings, status is { } code ? $"HTTP {code}" : "no answer (timeout or connection error)");
    }

    /// <summary>POSTs one attempt; the receiver's status code, or null when it did not answer in time or at all.</summary>
    private async Task<int?> PostAsync(WebhookAttempt attempt, byte[] body, byte[] key, WebhookSettings settings, CancellationToken stoppingToken)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, attempt.Url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSigner.IdHeader, attempt.RequestId);
        request.Headers.Add(WebhookSigner.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(key, attempt.RequestId, timestamp, body));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(settings.TimeoutMs), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            using var response = await _clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _slots.Dispose();

    private void Fail(WebhookAttempt attempt, WebhookSettings settings, string reason)
    {
        SimulatorLog.WebhookFailed(_logger, attempt.RequestId, attempt.Attempt, reason);
        if (attempt.Attempt >= settings.MaxAttempts)
        {
            _state.WebhookRecorder.Failed();
            Lose(attempt, $"no success in {settings.MaxAttempts} attempts");
            return;
        }

        // Exponential backoff: backoff, 2x backoff, 4x backoff, ... after the first, second, third failure. Scheduled
        // before it is counted, so whoever sees the count sees the retry scheduled from the clock of the failure.
        var wait = TimeSpan.FromMilliseconds(settings.BackoffMs * Math.Pow(2, attempt.Attempt - 1));
        Requeue(attempt with { DueAt = _time.GetUtcNow() + wait, Attempt = attempt.Attempt + 1 });
        _state.WebhookRecorder.Failed();
    }

    private void Requeue(WebhookAttempt attempt)
    {
        if (!_state.WebhookQueue.TryAdd(attempt))
        {
            Lose(attempt, "the webhook queue is full");
        }
    }

    private void Lose(WebhookAttempt attempt, string reason)
    {
        _state.WebhookRecorder.Lost();
        SimulatorLog.WebhookLost(_logger, attempt.RequestId, reason);
    }

    private double Draw()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }
}
