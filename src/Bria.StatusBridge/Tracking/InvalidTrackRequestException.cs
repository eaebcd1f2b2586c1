namespace Bria.StatusBridge.Tracking;

/// <summary>A track command that cannot be stored as it is; the message says what to fix, naming the command's
/// properties. MassTransit moves the command to the error queue with this message as the fault reason, without
/// retrying; the HTTP API answers the <see cref="Problems"/> per snake_case field instead.</summary>
public sealed class InvalidTrackRequestException : Exception
{
    public InvalidTrackRequestException(IReadOnlyList<FieldProblem> problems)
        : base("TrackRequest rejected: " + string.Join(" ", (problems ?? []).Select(p => p.Describe(field => field))))
    {
        Problems = problems ?? [];
    }

    public InvalidTrackRequestException()
        : this([])
    {
    }

    public InvalidTrackRequestException(string message)
        : base(message)
    {
    }

    public InvalidTrackRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Each problem, per field of the command.</summary>
    public IReadOnlyList<FieldProblem> Problems { get; } = [];
}
