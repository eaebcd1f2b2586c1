namespace Bria.StatusBridge.Simulator.Jobs;

/// <summary>How a simulated job ends once its duration has passed.</summary>
public enum JobOutcome
{
    /// <summary><c>COMPLETED</c> with a result.</summary>
    Completed = 0,

    /// <summary><c>ERROR</c> with the error object.</summary>
    Error = 1,

    /// <summary><c>UNKNOWN</c> for a number of reads, then <c>COMPLETED</c>.</summary>
    UnknownThenCompleted = 2,

    /// <summary><c>UNKNOWN</c> for good.</summary>
    Unknown = 3,

    /// <summary>The id disappears: 404 <c>NOT_FOUND</c> once the duration has passed.</summary>
    Expire = 4,
}
