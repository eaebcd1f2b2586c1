namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>The one way tests wait for a condition they cannot be told about: bounded, polled every 50 ms, never a
/// fixed sleep. <see cref="HoldsAsync(Func{Task{bool}}, TimeSpan, Func{string})"/> fails the test when time runs out;
/// <c>WithinAsync</c> and <see cref="ReadAsync{T}"/> leave the verdict to the caller.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="failure"/> when time runs out.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (!await WithinAsync(condition, timeout))
        {
            Assert.Fail($"Not within {timeout}: {failure()}");
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="failure"/> when time runs out.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, failure);

    /// <summary>Waits until <paramref name="condition"/> holds; false when <paramref name="timeout"/> ran out first
    /// (the condition is checked once more at the end).</summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var periodic = new PeriodicTimer(Interval);
        while (!await condition())
        {
            try
            {
                await periodic.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return await condition();
            }
        }

        return true;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; false when <paramref name="timeout"/> ran out first.</summary>
    public static Task<bool> WithinAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WithinAsync(() => Task.FromResult(condition()), timeout, cancellationToken);

    /// <summary>Reads until <paramref name="done"/> accepts the value or time runs out; returns the last value read,
    /// for the caller to assert on.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var value = default(T)!;
        await WithinAsync(
            async () =>
            {
                value = await read();
                return done(value);
            },
            timeout);
        return value;
    }
}
