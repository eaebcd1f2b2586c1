namespace Bria.StatusBridge.Simulator.Stats;

/// <summary>Counts webhook attempts and outcomes; plain interlocked counters, read together in a snapshot.</summary>
internal sealed class WebhookRecorder
{
    private long _sent;
    private long _delivered;
    private long _failed;
    private long _lost;
    private long _duplicated;
    private long _badSignatures;

    public void Sent() => Interlocked.Increment(ref _sent);

    public void Delivered() => Interlocked.Increment(ref _delivered);

    public void Failed() => Interlocked.Increment(ref _failed);

    public void Lost() => Interlocked.Increment(ref _lost);

    public void Duplicated() => Interlocked.Increment(ref _duplicated);

    public void BadSignature() => Interlocked.Increment(ref _badSignatures);

    public void Reset()
    {
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _failed, 0);
        Interlocked.Exchange(ref _lost, 0);
        Interlocked.Exchange(ref _duplicated, 0);
        Interlocked.Exchange(ref _badSignatures, 0);
    }

    public WebhookStats Snapshot(int pending) => new()
    {
        Sent = Interlocked.Read(ref _sent),
        Delivered = Interlocked.Read(ref _delivered),
        Failed = Interlocked.Read(ref _failed),
        Lost = Interlocked.Read(ref _lost),
        Duplicated = Interlocked.Read(ref _duplicated),
        BadSignatures = Interlocked.Read(ref _badSignatures),
        Pending = pending,
    };
}
