namespace Bria.StatusBridge.Tracking;

/// <summary>A track command that cannot be stored as it is; the message says what to fix. MassTransit moves the
/// command to the error queue with this message as the fault reason, without retrying.</summary>
public sealed class InvalidTrackRequestException : Exception
{
    public InvalidTrackRequestException(IReadOnlyList<string> problems)
        : base("TrackRequest rejected: " + string.Join(" ", problems))
    {
        Problems = problems;
    }

    public InvalidTrackRequestException()
        : this([])
    {
    }

    public InvalidTrackRequestException(string message)
        : this([message])
    {
    }

    public InvalidTrackRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Each problem, as a sentence that says what to change.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
