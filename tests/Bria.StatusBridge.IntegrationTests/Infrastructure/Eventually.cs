namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Bounded waits for conditions the test cannot be told about: polls every 50 ms, fails with a message.</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="failure"/> when time runs out.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(failure);
        using var cancellation = new CancellationTokenSource(timeout);
        using var periodic = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (cancellation.IsCancellationRequested)
            {
                Assert.Fail($"Not within {timeout}: {failure()}");
            }

            try
            {
                await periodic.WaitForNextTickAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                // Checked once more above before failing.
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="failure"/> when time runs out.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, failure);
}
