namespace Bria.StatusBridge.Polling;

/// <summary>Adds up the time during which the poller had due requests waiting because the shared budget had no calls
/// to spare: from the first step held back to the next step that was not. Its rate is the fraction of time the
/// budget held polling back, which an operator can read whatever the number of loop iterations.</summary>
internal sealed class BudgetExhaustedTime
{
    private readonly Lock _gate = new();
    private TimeSpan _total;
    private DateTimeOffset? _since;

    /// <summary>Records one scheduling step at <paramref name="now"/>.</summary>
    public void Step(bool exhausted, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (exhausted)
            {
                _since ??= now;
            }
            else if (_since is { } since)
            {
                _total += now > since ? now - since : TimeSpan.Zero;
                _since = null;
            }
        }
    }

    /// <summary>The time held back until <paramref name="now"/>, a period still going on included.</summary>
    public TimeSpan Total(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _total + (_since is { } since && now > since ? now - since : TimeSpan.Zero);
        }
    }
}
