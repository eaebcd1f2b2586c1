namespace Bria.StatusBridge.Simulator.Webhooks;

/// <summary>The bounded set of webhook attempts waiting for their time: jobs not yet finished, delays and retries.
/// A full queue refuses new attempts (the caller counts them lost) rather than growing without limit.</summary>
internal sealed class WebhookQueue(int capacity)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<WebhookAttempt, DateTimeOffset> _due = new();
    private TaskCompletionSource _wake = NewSignal();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _due.Count;
            }
        }
    }

    public bool TryAdd(WebhookAttempt attempt)
    {
        lock (_lock)
        {
            if (_due.Count >= capacity)
            {
                return false;
            }

            _due.Enqueue(attempt, attempt.DueAt);
        }

        Wake();
        return true;
    }

    /// <summary>Removes and returns the attempts due at <paramref name="now"/>, at most <paramref name="max"/>;
    /// <paramref name="next"/> is when the next one left is due.</summary>
    public List<WebhookAttempt> TakeDue(DateTimeOffset now, int max, out DateTimeOffset? next)
    {
        var due = new List<WebhookAttempt>();
        lock (_lock)
        {
            while (due.Count < max && _due.TryPeek(out var attempt, out var at) && at <= now)
            {
                _due.Dequeue();
                due.Add(attempt);
            }

            next = _due.TryPeek(out _, out var nextAt) ? nextAt : null;
        }

        return due;
    }

    public int Clear()
    {
        lock (_lock)
        {
            var count = _due.Count;
            _due.Clear();
            return count;
        }
    }

    /// <summary>Waits until <paramref name="next"/> on <paramref name="time"/>'s clock, or until an attempt is added.</summary>
    public async Task WaitAsync(DateTimeOffset? next, TimeProvider time, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task woken;
        lock (_lock)
        {
            woken = _wake.Task;
        }

        var delay = next is { } at ? Until(at, time, stop.Token) : Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
        await Task.WhenAny(woken, delay);
        await stop.CancelAsync();
        lock (_lock)
        {
            // Reset before the caller looks at the queue again: an attempt added after this sets the new signal.
            if (_wake.Task.IsCompleted)
            {
                _wake = NewSignal();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Wake()
    {
        lock (_lock)
        {
            _wake.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A delay ending at <paramref name="at"/>. A timer starts from the clock's time when it is made, so if the
    /// clock jumped between reading it and making the timer (a test's fake clock does), the timer is made again.</summary>
    private static Task Until(DateTimeOffset at, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            var before = time.GetUtcNow();
            if (at <= before)
            {
                return Task.CompletedTask;
            }

            var delay = Task.Delay(at - before, time, cancellationToken);
            if (time.GetUtcNow() - before < TimeSpan.FromMilliseconds(1))
            {
                return delay;
            }
        }
    }
}
