namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>A scenario cannot run in this build or on this machine; the message says what is missing.</summary>
public sealed class ScenarioUnavailableException : Exception
{
    public ScenarioUnavailableException()
    {
    }

    public ScenarioUnavailableException(string message)
        : base(message)
    {
    }

    public ScenarioUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
