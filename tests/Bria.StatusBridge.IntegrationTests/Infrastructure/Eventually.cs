namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition that the system reaches asynchronously.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"Not reached within {timeout}: {describe()}");
            }

            await timer.WaitForNextTickAsync();
        }
    }

    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, describe);
}
