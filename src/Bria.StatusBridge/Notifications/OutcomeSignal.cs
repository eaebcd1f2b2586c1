namespace Bria.StatusBridge.Notifications;

/// <summary>The one "outcome stored" signal: whoever stores an outcome raises it (through
/// <see cref="OutcomeNotificationWriter"/>, after the commit), and every <see cref="IOutcomeStoredListener"/> hears it.
/// Writers do not know who listens; listeners do not know who wrote. In-process only: another replica's dispatchers
/// find the rows on their next look, within their idle delay.</summary>
internal sealed partial class OutcomeSignal(IEnumerable<IOutcomeStoredListener> listeners, ILogger<OutcomeSignal> logger)
{
    private readonly IOutcomeStoredListener[] _listeners = [.. listeners];

    public void Stored(OutcomeStored stored)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                listener.OnOutcomeStored(stored);
            }
            catch (Exception exception)
            {
                // The outcome is durable whatever a listener does: its loop finds the rows on its next look.
                LogListenerFailed(logger, exception, listener.GetType().Name, stored.RequestId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Listener} failed on the outcome stored for {RequestId}")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, string listener, string requestId);
}
