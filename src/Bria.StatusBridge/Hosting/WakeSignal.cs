namespace Bria.StatusBridge.Hosting;

/// <summary>Lets a loop sleep until its next due time yet wake at once when new work arrives.</summary>
internal abstract class WakeSignal
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => Volatile.Read(ref _signal).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        if (!signal.Task.IsCompleted && timeout > TimeSpan.Zero)
        {
            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, time, delayCancellation.Token);
            await Task.WhenAny(signal.Task, delay);
            await delayCancellation.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Re-arm before the caller looks for work: a wake after this point is seen by the next wait.
        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
        }
    }
}
